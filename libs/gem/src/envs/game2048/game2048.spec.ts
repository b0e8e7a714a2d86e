import { join } from 'node:path';
import { ValidationError } from '@rock/contracts';
import { describeGoldenParity, describeCpythonKwargsParity } from '@rock/testing';
import type { StepResult } from '../../core/env';
import { make } from '../../registry';
import { DIRECTIONS, type Direction, renderBoard, sameBoard, slide } from './board2048';
import { parseMove } from './game2048.env';

/** The board rows of a `Current board:` suffix. */
function boardOf(info: Record<string, unknown>): string[] {
  return String(info.suffix).split('\n').slice(1, -1);
}

/** The tiles of a `Current board:` suffix, row-major, 0 for empty. */
function tilesOf(info: Record<string, unknown>): number[] {
  return boardOf(info).flatMap((row) => row.trim().split(/ +/).map((cell) => (cell === '.' ? 0 : Number(cell))));
}

const FAMILY = 'Game2048';

describeGoldenParity(FAMILY, ['game:Game2048-v0-easy', 'game:Game2048-v0-hard', 'game:Game2048-v0-extreme-hard', 'game:Game2048-v0-random'], (id) => make(id), 100);

describeCpythonKwargsParity(FAMILY, join(__dirname, '__fixtures__', 'cpython-kwargs-variants.jsonl'), (id, kwargs) => make(id, kwargs));

describe('Game2048 action parsing (Python re.IGNORECASE semantics)', () => {
  it.each([
    ['\\boxed{up}', 'up'],
    ['\\BOXED{RIGHT}', 'right'],
    ['\\boxed{Left} then \\boxed{down}', 'down'],
    ['\\boxed{rıght}', 'rıght'],
    ['\\boxed{rİght}', 'ri\u0307ght'],
    ['$\\\\boxed{up}$', 'up'],
  ])('%j parses to %j', (action, move) => {
    expect(parseMove(action)).toBe(move);
  });

  it.each(['', 'up', '\\boxed{ｕｐ}', '\\boxed {up}', '\\boxed{up }', '\\boxed{upp}', '\\fbox{up}', '\\boxed{}'])(
    '%j is a format error',
    (action) => {
      expect(parseMove(action)).toBeNull();
    },
  );
});

describe('Game2048 board mechanics', () => {
  it('merges each pair once, from the side the tiles move to', () => {
    const board = [2, 2, 2, 2, 4, 4, 8, 0, 2, 0, 2, 4, 0, 0, 0, 2];
    expect(slide(board, 4, 'left')).toEqual([4, 4, 0, 0, 8, 8, 0, 0, 4, 4, 0, 0, 2, 0, 0, 0]);
    expect(slide(board, 4, 'right')).toEqual([0, 0, 4, 4, 0, 0, 8, 8, 0, 0, 4, 4, 0, 0, 0, 2]);
    expect(slide([2, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0], 4, 'down')).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 8, 0, 0, 0,
    ]);
  });

  it('renders empty cells as dots and tiles right-aligned to width 4', () => {
    expect(renderBoard([0, 2, 2048, 16], 2)).toBe('   .    2\n2048   16');
  });
});

describe('Game2048 env behaviour', () => {
  it('matches GEM seed facts: easy seed 42 starts with 2s at (0,3) and (1,1)', () => {
    const [, info] = make('game:Game2048-v0-easy').reset(42);
    expect(boardOf(info)).toEqual(['   .    .    .    2', '   .    2    .    .', '   .    .    .    .', '   .    .    .    .']);
  });

  it('a move that changes nothing uses a turn, pays 0 and draws no random tile', () => {
    const a = make('game:Game2048-v0-easy');
    const b = make('game:Game2048-v0-easy');
    let info = a.reset(0)[1];
    b.reset(0);
    let turn = 0;
    const noopOf = (): Direction | undefined => {
      const board = tilesOf(info);
      return DIRECTIONS.find((d) => sameBoard(slide(board, 4, d), board));
    };
    while (noopOf() === undefined) {
      const move = turn % 2 === 0 ? '\\boxed{down}' : '\\boxed{left}';
      info = a.step(move)[4];
      b.step(move);
      turn++;
    }
    const noop = noopOf() as Direction;
    const valid = DIRECTIONS.find((d) => !sameBoard(slide(tilesOf(info), 4, d), tilesOf(info))) as Direction;
    expect(a.step(`\\boxed{${noop.toUpperCase()}}`).slice(0, 4)).toEqual([
      `At turn ${turn + 1}, you chose move '${noop}' which doesn't change the board state. Try a different direction.`,
      0,
      false,
      false,
    ]);
    const afterNoop = a.step(`\\boxed{${valid}}`);
    const direct = b.step(`\\boxed{${valid}}`);
    expect(afterNoop[0]).toBe(`At turn ${turn + 2}, you moved ${valid}`);
    expect(direct[0]).toBe(`At turn ${turn + 1}, you moved ${valid}`);
    expect(afterNoop[4]).toEqual(direct[4]);
  });

  it('a format error ends the episode with -0.1 and is truncated only on the last turn', () => {
    const env = make('game:Game2048-v0-easy', { max_turns: 2 });
    env.reset(3);
    expect(env.step('no box here').slice(0, 4)).toEqual([
      'At turn 1, you did not provide a valid move. Please use \\boxed{direction} format.',
      -0.1,
      true,
      false,
    ]);
    env.reset(3);
    env.step('\\boxed{up}');
    expect(env.step('').slice(1, 4)).toEqual([-0.1, true, true]);
  });

  it('reaching a small target wins after the spawn, with progress rewards summing to 1', () => {
    const env = make('game:Game2048-v0-easy', { target_tile: 8, max_turns: 200 });
    env.reset(7);
    let total = 0;
    let last: StepResult | undefined;
    for (let i = 0; i < 200 && !(last?.[2] ?? false); i++) {
      last = env.step(`\\boxed{${['left', 'down', 'right', 'up'][i % 4]}}`);
      total += last[1];
    }
    expect(last?.[0]).toMatch(/^Congratulations! You reached the 8 tile in \d+ turns!$/);
    expect(last?.slice(2, 4)).toEqual([true, false]);
    expect(total).toBeCloseTo(1, 12);
  });

  it('stops at max_turns with the 2048-specific truncation text', () => {
    const env = make('game:Game2048-v0-easy', { max_turns: 3 });
    env.reset(11);
    let result: StepResult = env.step('\\boxed{left}');
    for (const move of ['right', 'left']) result = env.step(`\\boxed{${move}}`);
    expect(result[0]).toBe('You have reached the maximum number of turns (3).');
    expect(result.slice(2, 4)).toEqual([true, true]);
  });

  it('the random variant draws its target and turn limit from the seeded stream', () => {
    const prompts = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const [obs] = make('game:Game2048-v0-random').reset(seed);
      prompts.add(obs.split('\n').slice(1, 3).join(' '));
      expect(make('game:Game2048-v0-random').reset(seed)[0]).toBe(obs);
    }
    expect([...prompts].sort()).toEqual([
      'Your goal is to reach the 16 tile by sliding and merging tiles. You have 20 turns maximum.',
      'Your goal is to reach the 32 tile by sliding and merging tiles. You have 30 turns maximum.',
      'Your goal is to reach the 64 tile by sliding and merging tiles. You have 50 turns maximum.',
    ]);
  });

  it('reset() without a seed continues the stream instead of repeating the episode', () => {
    const env = make('game:Game2048-v0-easy');
    const seeded = env.reset(5);
    const boards = new Set([JSON.stringify(seeded[1])]);
    for (let i = 0; i < 5; i++) boards.add(JSON.stringify(env.reset()[1]));
    expect(boards.size).toBeGreaterThan(1);
    expect(env.reset(5)).toEqual(seeded);
  });

  it('sampleRandomAction gives a boxed direction the env accepts', () => {
    const env = make('game:Game2048-v0-hard');
    env.reset(1);
    for (let i = 0; i < 8; i++) expect(parseMove(env.sampleRandomAction())).toMatch(/^(up|down|left|right)$/);
  });

  it('supports other board sizes', () => {
    const [, info] = make('game:Game2048-v0-easy', { board_size: 3 }).reset(0);
    expect(boardOf(info)).toHaveLength(3);
  });

  it.each([
    [{ target_tile: 'big' }, /^target_tile: /],
    [{ max_turns: 0 }, /^max_turns: must be an integer >= 1$/],
    [{ board_size: 1 }, /^board_size: must be between 2 and 10$/],
    [{ board_size: 2.5 }, /^board_size: must be an integer$/],
  ])('rejects kwargs %j naming the field', (kwargs, message) => {
    expect(() => make('game:Game2048-v0-easy', kwargs)).toThrow(ValidationError);
    expect(() => make('game:Game2048-v0-easy', kwargs)).toThrow(message);
  });

  it('ignores unknown kwargs like GEM (`**_`)', () => {
    expect(() => make('game:Game2048-v0-easy', { seed: 3, anything: 'x' })).not.toThrow();
  });
});
