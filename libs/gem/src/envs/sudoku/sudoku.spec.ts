import { join } from 'node:path';
import { ValidationError } from '@rock/contracts';
import { describeGoldenParity, describeCpythonKwargsParity } from '@rock/testing';
import type { Env, StepResult } from '../../core/env';
import { make } from '../../registry';
import { PyRandom } from '../../random';
import { countSolutions, generateFullGrid, removeCells } from './sudoku-generator';
import { SampleActionUnsupportedError, parseSudokuMove } from './sudoku.env';

/** Cells of a rendered board, row-major, 0 for '.'. */
function cellsOf(info: Record<string, unknown>): number[] {
  return String(info.suffix)
    .split('\n')
    .filter((line) => line.startsWith('R'))
    .flatMap((line) =>
      line
        .replace(/^R\d+ /, '')
        .replace(/\|/g, '')
        .trim()
        .split(/ +/)
        .map((c) => (c === '.' ? 0 : Number(c))),
    );
}

const FAMILY = 'Sudoku';

describeGoldenParity(FAMILY, ['game:Sudoku-v0-easy', 'game:Sudoku-v0-hard', 'game:Sudoku-v0-random'], (id) => make(id), 100);

describeCpythonKwargsParity(FAMILY, join(__dirname, '__fixtures__', 'cpython-kwargs-variants.jsonl'), (id, kwargs) => make(id, kwargs));

describe('Sudoku action parsing (Python \\d, \\s and int())', () => {
  it.each([
    ['\\boxed{1 2 3}', ['1', '2', '3']],
    ['\\boxed{１ ８ １}', ['1', '8', '1']],
    ['\\boxed{4\u00a08\u00a01}', ['4', '8', '1']],
    ['\\boxed{1\t2\n3}', ['1', '2', '3']],
    ['\\boxed{1\x1e2\x853}', ['1', '2', '3']],
    ['\\boxed{01 002 0}', ['1', '2', '0']],
    ['\\boxed{\u{1d7cf} \u0663 3}', ['1', '3', '3']],
    ['\\boxed{1 1 1} or rather \\boxed{2 2 2}', ['2', '2', '2']],
    ['\\\\boxed{3 3 3}', ['3', '3', '3']],
  ])('%j parses to %j', (action, [row, col, digit]) => {
    expect(parseSudokuMove(action)).toEqual({ row, col, digit });
  });

  it.each([
    '',
    '1 1 1',
    '\\boxed{1  1 1}',
    '\\boxed{1,1,1}',
    '\\boxed{1\ufeff1\ufeff1}',
    '\\boxed{ 1 1 1}',
    '\\boxed{1 1}',
    '\\boxed{-1 1 1}',
    '\\boxed{\u3000}',
  ])('%j is a format error', (action) => {
    expect(parseSudokuMove(action)).toBeNull();
  });

  it("follows CPython 3.11's int() digit limit: 4300 digits parse, 4301 do not", () => {
    expect(parseSudokuMove(`\\boxed{${'9'.repeat(4300)} 1 1}`)?.row).toBe('9'.repeat(4300));
    expect(parseSudokuMove(`\\boxed{${'0'.repeat(4301)} 1 1}`)).toBeNull();
  });
});

describe('Sudoku generator', () => {
  it('matches GEM seed facts for the easy solution grid', () => {
    expect(generateFullGrid(4, new PyRandom(0)).join('')).toBe('3124423124131342');
    expect(generateFullGrid(4, new PyRandom(1)).join('')).toBe('4213312423411432');
    expect(generateFullGrid(4, new PyRandom(42)).join('')).toBe('3421213413424213');
  });

  it('builds valid 9×9 grids and puzzles with exactly one solution', () => {
    for (let seed = 0; seed < 5; seed++) {
      const rng = new PyRandom(seed);
      const full = generateFullGrid(9, rng);
      for (let i = 0; i < 9; i++) {
        expect(new Set(full.slice(i * 9, i * 9 + 9)).size).toBe(9);
        expect(new Set(full.filter((_, k) => k % 9 === i)).size).toBe(9);
      }
      const puzzle = removeCells(full, 9, 50, rng);
      expect(puzzle.every((d, k) => d === 0 || d === full[k])).toBe(true);
      expect(countSolutions(puzzle, 9)).toBe(1);
    }
  });

  it('counts solutions up to the limit', () => {
    expect(countSolutions(new Array<number>(16).fill(0), 4)).toBe(2);
    expect(countSolutions(new Array<number>(16).fill(0), 4, 5)).toBe(5);
    expect(countSolutions([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 4)).toBe(0);
  });
});

/** Plays every empty cell by trying digits in order; returns the results of the winning run. */
function solveByTrying(env: Env, board: number[], scale: number): StepResult[] {
  const results: StepResult[] = [];
  for (let cell = 0; cell < board.length; cell++) {
    if (board[cell] !== 0) continue;
    for (let digit = 1; digit <= scale; digit++) {
      const result = env.step(`\\boxed{${Math.floor(cell / scale) + 1} ${(cell % scale) + 1} ${digit}}`);
      results.push(result);
      if (result[1] > 0) break;
    }
  }
  return results;
}

describe('Sudoku env behaviour', () => {
  it('uses the two-space prompt for scale 9 and the "simple version" one for scale 4', () => {
    expect(make('game:Sudoku-v0-hard').reset(0)[0]).toMatch(/^You are playing {2}Sudoku\.\n/);
    expect(make('game:Sudoku-v0-easy').reset(0)[0]).toMatch(/^You are playing A simple version of Sudoku\.\n/);
  });

  it('pays 1/initial blanks per correct digit and completes with the congratulation text', () => {
    const env = make('game:Sudoku-v0-easy', { max_turns: 1000 });
    const [, info] = env.reset(3);
    const board = cellsOf(info);
    const blanks = board.filter((d) => d === 0).length;
    const results = solveByTrying(env, board, 4);
    const paid = results.filter((r) => r[1] > 0);
    expect(paid).toHaveLength(blanks);
    for (const r of paid) expect(r[1]).toBe(1 / blanks);
    const last = results[results.length - 1];
    expect(last.slice(0, 4)).toEqual(['Congratulations! You have completed the Sudoku puzzle!', 1 / blanks, true, false]);
    expect(cellsOf(last[4]).every((d) => d > 0)).toBe(true);
    expect(results.filter((r) => r[0].endsWith('which violates Sudoku rules.')).length).toBe(results.length - blanks);
  });

  it('reports out-of-bounds numbers in full and refuses to overwrite givens', () => {
    const env = make('game:Sudoku-v0-easy');
    const [, info] = env.reset(0);
    const given = cellsOf(info).findIndex((d) => d !== 0);
    expect(env.step(`\\boxed{${'1'.repeat(30)} 1 1}`)[0]).toBe(
      `At turn 1, you tried to place 1 at R${'1'.repeat(30)} C1, which is out of bounds.`,
    );
    expect(env.step('\\boxed{1 1 5}')[0]).toBe('At turn 2, you tried to place 5 at R1 C1, which is out of bounds.');
    const [r, c] = [Math.floor(given / 4) + 1, (given % 4) + 1];
    expect(env.step(`\\boxed{０${r} ${c} 1}`).slice(0, 2)).toEqual([
      `At turn 3, you tried to place 1 at R${r} C${c}, which is already filled. You cannot overwrite pre-filled cells.`,
      0,
    ]);
  });

  it('a format error has no turn prefix and is truncated only on the last turn', () => {
    const env = make('game:Sudoku-v0-easy', { max_turns: 2 });
    env.reset(1);
    expect(env.step('\\boxed{1  1 1}').slice(0, 4)).toEqual(['You did not provide a valid guess.', -0.1, true, false]);
    env.reset(1);
    env.step('\\boxed{9 9 9}');
    expect(env.step('nothing').slice(0, 4)).toEqual(['You did not provide a valid guess.', -0.1, true, true]);
  });

  it('the random variant picks (4,10,15) or (9,50,50) from the seeded stream', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 12; seed++) {
      const [obs, info] = make('game:Sudoku-v0-random').reset(seed);
      const cells = cellsOf(info).length;
      seen.add(String(cells));
      expect(obs).toContain(cells === 16 ? 'in the 4x4 grid' : 'in the 9x9 grid');
    }
    expect([...seen].sort()).toEqual(['16', '81']);
  });

  it('sampleRandomAction is unsupported, as in GEM (NotImplementedError)', () => {
    const env = make('game:Sudoku-v0-easy');
    expect(() => env.sampleRandomAction()).toThrow(SampleActionUnsupportedError);
    expect(() => env.sampleRandomAction()).toThrow(
      expect.objectContaining({ kind: 'gem_sample_action_unsupported', httpStatus: 400, envId: 'game:Sudoku-v0-easy' }),
    );
  });

  it.each([
    [{ scale: 16 }, /^scale: must be 4 or 9$/],
    [{ clues: 17 }, /^clues: must be at most scale² \(the number of cells\)$/],
    [{ clues: -1 }, /^clues: must be an integer >= 0$/],
    [{ max_turns: '5' }, /^max_turns: /],
  ])('rejects kwargs %j naming the field', (kwargs, message) => {
    expect(() => make('game:Sudoku-v0-easy', kwargs)).toThrow(ValidationError);
    expect(() => make('game:Sudoku-v0-easy', kwargs)).toThrow(message);
  });
});
