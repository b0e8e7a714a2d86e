import { join } from 'node:path';
import { ValidationError } from '@rock/contracts';
import { describeGoldenParity, describeCpythonKwargsParity } from '@rock/testing';
import type { StepResult } from '../../core/env';
import { make } from '../../registry';
import { PyRandom } from '../../random';
import { boardParity, goalBoard, monteCarloBoard, pureRandomBoard, softReward } from './fifteen-board';
import { parseMove } from './fifteen-puzzle.env';

/** Board rows of a `Here is the current board layout: \n…\n\nEnter your move.` suffix. */
function rowsOf(info: Record<string, unknown>): string[] {
  return String(info.suffix).split('\n').slice(1, -2);
}

const FAMILY = 'FifteenPuzzle';

describeGoldenParity(FAMILY, ['game:FifteenPuzzle-v0-easy', 'game:FifteenPuzzle-v0-hard'], (id) => make(id), 100);

describeCpythonKwargsParity(FAMILY, join(__dirname, '__fixtures__', 'cpython-kwargs-variants.jsonl'), (id, kwargs) => make(id, kwargs));

describe('FifteenPuzzle action parsing (case-sensitive, last match wins)', () => {
  it.each([
    ['\\boxed{up}', 'up'],
    ['\\boxed{left} no, \\boxed{right}', 'right'],
    ['\\\\boxed{down}', 'down'],
  ])('%j parses to %j', (action, move) => {
    expect(parseMove(action)).toBe(move);
  });

  it.each(['\\boxed{Up}', '\\BOXED{up}', 'up', '\\boxed{ up}', '\\boxed{ｕｐ}', ''])('%j is a format error', (action) => {
    expect(parseMove(action)).toBeNull();
  });
});

describe('FifteenPuzzle start boards', () => {
  it('monte_carlo 2×2 boards are only ever the two GEM HEAD boards', () => {
    const boards = new Set<string>();
    for (let seed = 0; seed < 40; seed++) boards.add(JSON.stringify(monteCarloBoard(2, 100, new PyRandom(seed))));
    expect([...boards].sort()).toEqual([JSON.stringify([2, 3, 1, null]), JSON.stringify([3, 1, 2, null])]);
  });

  it('pure_random boards always have the goal parity, so they are solvable', () => {
    const goal = boardParity(goalBoard(4), 4);
    for (let seed = 0; seed < 50; seed++) {
      const board = pureRandomBoard(4, new PyRandom(seed));
      expect([...board].sort()).toEqual([...goalBoard(4)].sort());
      expect(boardParity(board, 4)).toBe(goal);
    }
  });

  it('the soft reward counts the blank too and is 1 on the goal board', () => {
    expect(softReward(goalBoard(3))).toBeCloseTo(1, 12);
    expect(softReward([1, 2, 3, null])).toBeCloseTo(1, 12);
    expect(softReward([2, 1, 3, null])).toBe(0.25 + 0.25);
  });
});

describe('FifteenPuzzle env behaviour', () => {
  it('names the tile that slides into the blank and refuses moves off the board', () => {
    const env = make('game:FifteenPuzzle-v0-hard');
    env.reset(0);
    // The blank starts somewhere; moving it to the bottom-right corner makes `up` and `left` illegal.
    for (let i = 0; i < 3; i++) env.step('\\boxed{up}');
    for (let i = 0; i < 3; i++) env.step('\\boxed{left}');
    expect(env.step('\\boxed{up}')[0]).toBe('At turn 7, you chose a move up that is outside the bounds of the board.');
    expect(env.step('\\boxed{left}')[0]).toBe('At turn 8, you chose a move left that is outside the bounds of the board.');
    const [text, reward, , , info] = env.step('\\boxed{down}');
    expect([text, reward]).toEqual(['At turn 9, you made a valid move: down.\n', 0]);
    const rows = rowsOf(info);
    expect(rows[2].endsWith('__')).toBe(true);
    expect(rows[3].endsWith('__')).toBe(false);
  });

  it('a format error has no full stop and ends the episode', () => {
    const env = make('game:FifteenPuzzle-v0-easy');
    env.reset(4);
    expect(env.step('\\boxed{Up}').slice(0, 4)).toEqual(['At turn 1, you did not provide a valid guess', -0.1, true, false]);
  });

  it('solving pays 1 and terminates; the 2×2 cycle solves within 12 moves', () => {
    const env = make('game:FifteenPuzzle-v0-easy', { max_turns: 40 });
    env.reset(0);
    const cycle = ['down', 'right', 'up', 'left'];
    let last: StepResult | undefined;
    for (let i = 0; i < 12 && !(last?.[2] ?? false); i++) last = env.step(`\\boxed{${cycle[i % 4]}}`);
    const reverse = make('game:FifteenPuzzle-v0-easy', { max_turns: 40 });
    reverse.reset(0);
    let other: StepResult | undefined;
    for (let i = 0; i < 12 && !(other?.[2] ?? false); i++) other = reverse.step(`\\boxed{${['right', 'down', 'left', 'up'][i % 4]}}`);
    const solved = [last, other].find((r) => r?.[0] === 'Congratulations! You have solved the puzzle!');
    expect(solved?.slice(1, 4)).toEqual([1, true, false]);
    expect(rowsOf(solved?.[4] ?? {})).toEqual([' 1  2', ' 3 __']);
  });

  it('truncation pays 1/n² per tile already home, blank included', () => {
    const refusedAt = (blank: number): string | undefined => {
      if (blank < 4) return 'down';
      if (blank >= 12) return 'up';
      if (blank % 4 === 0) return 'right';
      return blank % 4 === 3 ? 'left' : undefined;
    };
    let checked = 0;
    for (let seed = 0; seed < 10; seed++) {
      const env = make('game:FifteenPuzzle-v0-hard', { max_turns: 2 });
      const cells = rowsOf(env.reset(seed)[1]).flatMap((row) => row.trim().split(/ +/));
      const board = cells.map((cell) => (cell === '__' ? null : Number(cell)));
      const refused = refusedAt(board.indexOf(null));
      if (refused === undefined) continue;
      // Two refused moves leave the start board as it was.
      env.step(`\\boxed{${refused}}`);
      const result = env.step(`\\boxed{${refused}}`);
      expect(result.slice(2, 4)).toEqual([true, true]);
      expect(result[0]).toBe('You have reached the maximum number of turns.');
      expect(result[1]).toBe(softReward(board));
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('sampleRandomAction returns a bare direction, which the env itself rejects (GEM quirk)', () => {
    const env = make('game:FifteenPuzzle-v0-hard');
    env.reset(2);
    const action = env.sampleRandomAction();
    expect(['up', 'down', 'left', 'right']).toContain(action);
    expect(env.step(action)[2]).toBe(true);
  });

  it('-random works (GEM crashes in make) and draws the size from the seeded stream', () => {
    const sizes = new Map<string, string>();
    for (let seed = 0; seed < 30; seed++) {
      const env = make('game:FifteenPuzzle-v0-random');
      const [obs, info] = env.reset(seed);
      expect(make('game:FifteenPuzzle-v0-random').reset(seed)).toEqual([obs, info]);
      const title = obs.split('\n')[0];
      sizes.set(title, String(rowsOf(info).length));
    }
    expect(Object.fromEntries(sizes)).toEqual({
      'You are playing the 3-Puzzle game.': '2',
      'You are playing the 8-Puzzle game.': '3',
      'You are playing the 15-Puzzle game.': '4',
    });
  });

  it('the -random turn limit follows the drawn size', () => {
    const limits: Record<number, number> = { 2: 10, 3: 20, 4: 50 };
    for (let seed = 0; seed < 6; seed++) {
      const env = make('game:FifteenPuzzle-v0-random');
      const size = rowsOf(env.reset(seed)[1]).length;
      let result: StepResult;
      let turns = 0;
      do {
        result = env.step(`\\boxed{${turns % 2 === 0 ? 'up' : 'down'}}`);
        turns++;
      } while (!result[2]);
      expect([turns, result[3]]).toEqual([limits[size], true]);
    }
  });

  it.each([
    [{ num_rows: 1 }, /^num_rows: must be between 2 and 10$/],
    [{ max_turns: -1 }, /^max_turns: must be an integer >= 1$/],
    [{ init_algo: 'greedy' }, /^init_algo: must be 'monte_carlo' or 'pure_random'$/],
    [{ mc_rand_moves: 0 }, /^mc_rand_moves: must be between 1 and 100000$/],
  ])('rejects kwargs %j naming the field', (kwargs, message) => {
    expect(() => make('game:FifteenPuzzle-v0-easy', kwargs)).toThrow(ValidationError);
    expect(() => make('game:FifteenPuzzle-v0-easy', kwargs)).toThrow(message);
  });
});
