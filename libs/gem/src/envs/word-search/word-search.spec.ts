import { GemDataError } from '../../data/gem-data';
import { PyIntLimitError } from '../../data/python-text';
import { describeGoldenParity, gemDataDir } from '@rock/testing';
import { EnvRegistry, list } from '../../registry';
import { parseWordSearchGuess, registrations } from '.';

const dataDir = gemDataDir();

const registry = new EnvRegistry(registrations);
const make = (id: string) => registry.make(id, {}, { dataDir });

it('registers every id of the family in the process-wide registry', () => {
  expect(list()).toEqual(expect.arrayContaining(registrations.map((r) => r.id)));
});

describeGoldenParity('WordSearch', ['game:WordSearch-v0-easy', 'game:WordSearch-v0-hard', 'game:WordSearch-v0-random'], make, 100);

describe('WordSearch rules', () => {
  it('parses four 0-based coordinates with Python Unicode digits and spaces; the last box wins', () => {
    expect(parseWordSearchGuess('\\boxed{0 0 7 0}')).toEqual(['0', '0', '7', '0']);
    expect(parseWordSearchGuess('\\boxed{1 1 1 1} \\boxed{٠٣\t0\x1c٧ 00}')).toEqual(['3', '0', '7', '0']);
    expect(parseWordSearchGuess('\\boxed{[0 0 7 0]}')).toBeNull();
    expect(parseWordSearchGuess('\\boxed{0 0 7}')).toBeNull();
    expect(() => parseWordSearchGuess(`\\boxed{${'1'.repeat(4301)} 0 0 0}`)).toThrow(PyIntLimitError);
  });

  it('re-pays a found word entered with reversed coordinates and rejects an exact repeat (GEM quirk)', () => {
    const env = make('game:WordSearch-v0-easy');
    env.reset(0);
    const found = env.step('\\boxed{0 0 7 0}');
    expect(found.slice(0, 2)).toEqual(["At turn 1, correct! You found the word 'MATERIAL' at coordinates (0, 0) to (7, 0).", 0.2]);
    expect(env.step('\\boxed{0 0 7 0}').slice(0, 2)).toEqual([
      'At turn 2, you have already tried the coordinates (0, 0) to (7, 0).',
      0,
    ]);
    expect(env.step('\\boxed{7 0 0 0}')[1]).toBe(0.2);
    expect(String(env.step('\\boxed{1 1 2 2}')[0])).toContain('words must be either across (horizontal) or down (vertical)');
    expect(String(env.step('\\boxed{1 1 1 2}')[4].suffix)).toContain('Words Found: 1/5');
  });

  it('generates hardcore grids from the 235,886-word en list quickly after the first load', () => {
    const env = make('game:WordSearch-v0-hard');
    const started = process.hrtime.bigint();
    for (let seed = 0; seed < 50; seed++) env.reset(seed);
    const perResetMs = Number(process.hrtime.bigint() - started) / 1e6 / 50;
    expect(perResetMs).toBeLessThan(100);
    expect(env.reset(0)[0]).toContain('(Hardcore)');
  });

  it('samples GEM\'s unparseable \\boxed{[r c r c]} actions inside the grid', () => {
    const env = make('game:WordSearch-v0-easy');
    env.reset(0);
    const sample = env.sampleRandomAction();
    expect(sample).toMatch(/^\\boxed\{\[(\d|1[0-4])( (\d|1[0-4])){3}\]\}$/);
    expect(parseWordSearchGuess(sample)).toBeNull();
  });

  it('fails make with a GemDataError naming the word list and ROCK_GEM_DATA_DIR', () => {
    const [easy, hard] = registrations;
    const attempt = (reg: typeof easy) => () => reg.create({ ...reg.kwargs }, { dataDir: '/nonexistent/gem-data' });
    expect(attempt(easy)).toThrow(GemDataError);
    expect(attempt(easy)).toThrow(/corpora\/words\/en-basic.*ROCK_GEM_DATA_DIR/);
    expect(attempt(hard)).toThrow(/corpora\/words\/en .*ROCK_GEM_DATA_DIR/);
  });
});
