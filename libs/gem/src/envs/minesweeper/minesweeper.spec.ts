import { describeGoldenParity } from '@rock/testing';
import { make } from '../../registry';

const FAMILY = 'Minesweeper';

describeGoldenParity(FAMILY, ['game:Minesweeper-v0-easy', 'game:Minesweeper-v0-hard', 'game:Minesweeper-v0-random'], (id) => make(id));

describe('Minesweeper behaviour', () => {
  const mineFacts: Array<[number, string[]]> = [
    [0, ['0,4', '2,0', '2,4', '4,1', '4,3']],
    [1, ['0,0', '0,3', '2,0', '3,4', '4,0']],
    [42, ['0,0', '0,4', '1,4', '3,0', '4,4']],
  ];

  it.each(mineFacts)('seed %i places GEM.md mines after \\boxed{reveal 2 2}', (seed, mines) => {
    const hits: string[] = [];
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 5; c++) {
        const env = make('game:Minesweeper-v0-easy');
        env.reset(seed);
        env.step('\\boxed{reveal 2 2}');
        if (env.step(`\\boxed{reveal ${r} ${c}}`)[0].startsWith('Game over!')) hits.push(`${r},${c}`);
      }
    }
    expect(hits).toEqual(mines);
  });

  it('revealing every safe cell without flags does not win; flagging afterwards cannot either', () => {
    const env = make('game:Minesweeper-v0-easy', { max_turns: 100 });
    env.reset(0);
    const mines = new Set(['0,4', '2,0', '2,4', '4,1', '4,3']);
    let last: unknown[] = [];
    for (let r = 0; r < 5; r++) for (let c = 0; c < 5; c++) if (!mines.has(`${r},${c}`)) last = env.step(`\\boxed{reveal ${r} ${c}}`);
    expect(last[2]).toBe(false);
    for (const m of mines) last = env.step(`\\boxed{flag ${m.replace(',', ' ')}}`);
    expect(last.slice(0, 3)).toEqual(['At turn 25, you added a flag on cell (4, 3).', 0, false]);
  });

  it('a flagged mine still explodes, a flagged safe cell reads as revealed, and flags toggle', () => {
    const env = make('game:Minesweeper-v0-easy');
    env.reset(0);
    expect(env.step('\\boxed{flag 0 0}')[0]).toBe('At turn 1, you added a flag on cell (0, 0).');
    expect(env.step('\\boxed{reveal 0 0}')[0]).toBe('At turn 2, you chose to reveal cell (0, 0), which has already been revealed.');
    expect(env.step('\\boxed{flag 0 4}')[0]).toBe('At turn 3, you added a flag on cell (0, 4).');
    expect(env.step('\\boxed{flag 0 0}')[0]).toBe('At turn 4, you removed a flag on cell (0, 0).');
    expect(env.step('\\boxed{reveal 0 4}').slice(0, 4)).toEqual(['Game over! You hit a mine at (0, 4)', 0, true, false]);
  });

  it('needs exactly one whitespace between tokens and rejects impossible mine counts', () => {
    const env = make('game:Minesweeper-v0-easy');
    env.reset(0);
    expect(env.step('\\boxed{reveal  2 2}').slice(0, 3)).toEqual(['At turn 1, you did not provide a valid guess.', -0.1, true]);
    expect(() => make('game:Minesweeper-v0-easy', { num_mines: 17 })).toThrow('num_mines: must leave room');
  });
});
