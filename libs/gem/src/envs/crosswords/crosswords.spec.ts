import { GemDataError } from '../../data/gem-data';
import { PyIntLimitError } from '../../data/python-text';
import { describeGoldenParity, gemDataDir } from '@rock/testing';
import { EnvRegistry, list } from '../../registry';
import { parseCrosswordsMove, registrations } from '.';
import { loadWordClues } from './word-clues';
import { gridSizeFor } from './word-grid';

const dataDir = gemDataDir();

const registry = new EnvRegistry(registrations);
const make = (id: string) => registry.make(id, {}, { dataDir });

it('registers every id of the family in the process-wide registry', () => {
  expect(list()).toEqual(expect.arrayContaining(registrations.map((r) => r.id)));
});

describeGoldenParity('Crosswords', ['game:Crosswords-v0-easy', 'game:Crosswords-v0-hard'], make, 100);

describe('Crosswords rules', () => {
  it('sizes the grid round(1.5 x longest) with Python banker rounding', () => {
    expect([3, 5, 7, 8, 9, 11].map((n) => gridSizeFor(['x'.repeat(n)]))).toEqual([4, 8, 10, 12, 14, 16]);
  });

  it('parses 0-based row, column and one letter with Python Unicode digits and spaces', () => {
    expect(parseCrosswordsMove('\\boxed{6 9 r}')).toEqual({ row: '6', col: '9', letter: 'R' });
    expect(parseCrosswordsMove('\\boxed{０６\u30009\x1fr}')).toEqual({ row: '6', col: '9', letter: 'R' });
    expect(parseCrosswordsMove('\\boxed{𝟔 9 r} \\boxed{1 2 ab}')).toEqual({ row: '6', col: '9', letter: 'R' });
    expect(parseCrosswordsMove('\\boxed{6\ufeff9 r}')).toBeNull();
    expect(parseCrosswordsMove('\\boxed{[6 9 R]}')).toBeNull();
  });

  it('prints huge coordinates as Python ints and rejects ones past the int() digit limit', () => {
    const env = make('game:Crosswords-v0-easy');
    env.reset(0);
    expect(env.step(`\\boxed{${'0'.repeat(30)}123456789012345678901234567890 1 a}`)[0]).toBe(
      'At turn 1, you tried to place A at (123456789012345678901234567890, 1), which is out of bounds.',
    );
    expect(() => env.step(`\\boxed{${'9'.repeat(4301)} 1 a}`)).toThrow(PyIntLimitError);
  });

  it('wins with reward 1/cells per letter when the last blank is filled', () => {
    const env = make('game:Crosswords-v0-easy');
    env.reset(0);
    const solution: Array<[number, number, string]> = [];
    'DAUGHTER'.split('').forEach((l, i) => solution.push([6, 2 + i, l]));
    'OAD'.split('').forEach((l, i) => solution.push([7 + i, 9, l]));
    'ND'.split('').forEach((l, i) => solution.push([7 + i, 3, l]));
    const results = solution.map(([r, c, l]) => env.step(`\\boxed{${r} ${c} ${l}}`));
    expect(results.every((r) => Math.abs(r[1] - 1 / 13) < 1e-12)).toBe(true);
    expect(results.at(-1)?.slice(0, 4)).toEqual(['Congratulations! You completed the Crosswords puzzle!', 1 / 13, true, false]);
  });

  it('plays Crosswords-v0-random instead of crashing like GEM (3 words, 20 turns, either list)', () => {
    const env = make('game:Crosswords-v0-random');
    const prompts = [0, 1, 2, 3, 4, 5].map((seed) => env.reset(seed));
    expect(prompts.every(([obs]) => obs.includes('maximum of 20 turns'))).toBe(true);
    expect(prompts.every(([, info]) => String(info.suffix).match(/^\d\. /gm)?.length === 3)).toBe(true);
    expect(env.reset(4)).toEqual(prompts[4]);
    expect(make('game:Crosswords-v0-random').reset(4)).toEqual(prompts[4]);
  });

  it('draws -random puzzles from both the hardcore and the plain word list', () => {
    const hardClues = new Set(loadWordClues({ dataDir }).filter((r) => r.hardcore).map((r) => r.clue));
    const env = make('game:Crosswords-v0-random');
    const kinds = new Set(
      Array.from({ length: 12 }, (_, seed) => {
        const suffix = String(env.reset(seed)[1].suffix);
        return [...hardClues].some((clue) => suffix.includes(`. ${clue} (`));
      }),
    );
    expect(kinds).toEqual(new Set([true, false]));
  });

  it('honours kwargs over the registry defaults (5 words, 12 turns)', () => {
    const env = registry.make('game:Crosswords-v0-easy', { num_words: 5, max_turns: 12 }, { dataDir });
    const [obs, info] = env.reset(3);
    expect(obs).toContain('maximum of 12 turns');
    expect(String(info.suffix).match(/^\d\. /gm)).toHaveLength(5);
    expect(() => registry.make('game:Crosswords-v0-easy', { num_words: 'three' }, { dataDir })).toThrow(/num_words/);
  });

  it('samples GEM\'s unparseable \\boxed{[r c X]} actions on empty cells', () => {
    const env = make('game:Crosswords-v0-easy');
    env.reset(0);
    const sample = env.sampleRandomAction();
    expect(sample).toMatch(/^\\boxed\{\[(6 [2-9]|[6-9] 9|[6-8] 3) [A-Z]\]\}$/);
    expect(parseCrosswordsMove(sample)).toBeNull();
  });

  it('fails make with a GemDataError naming words_clues.jsonl and ROCK_GEM_DATA_DIR', () => {
    for (const reg of registrations) {
      const attempt = () => reg.create({ ...reg.kwargs }, { dataDir: '/nonexistent/gem-data' });
      expect(attempt).toThrow(GemDataError);
      expect(attempt).toThrow(/crosswords\/words_clues\.jsonl.*ROCK_GEM_DATA_DIR/);
    }
  });
});
