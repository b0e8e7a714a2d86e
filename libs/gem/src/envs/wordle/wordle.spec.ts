import { GemDataError } from '../../data/gem-data';
import { describeGoldenParity, gemDataDir } from '@rock/testing';
import { EnvRegistry, list } from '../../registry';
import { parseWordleGuess, registrations, wordleFeedback } from '.';

const dataDir = gemDataDir();

const registry = new EnvRegistry(registrations);
const make = (id: string) => registry.make(id, {}, { dataDir });

it('registers every id of the family in the process-wide registry', () => {
  expect(list()).toEqual(expect.arrayContaining(registrations.map((r) => r.id)));
});

describeGoldenParity('Wordle', ['game:Wordle-v0-easy', 'game:Wordle-v0-hard', 'game:Wordle-v0-random'], make, 100);

describe('Wordle seed facts (GEM.md)', () => {
  it.each([
    ['easy', 0, 'NEW'],
    ['easy', 42, 'USE'],
    ['hard', 0, 'ORDER'],
    ['hard', 1, 'COUGH'],
  ])('Wordle-v0-%s seed %i hides %s (GEM.md seed facts)', (variant, seed, secret) => {
    const env = make(`game:Wordle-v0-${variant}`);
    env.reset(seed);
    const [obs, reward, terminated, truncated] = env.step(`\\boxed{${secret.toLowerCase()}}`);
    expect(obs).toBe(`Congratulations! You guessed the secret word ${secret} in 1 turns.`);
    expect([reward, terminated, truncated]).toEqual([1, true, false]);
  });
});

describe('Wordle rules', () => {
  it('marks greens first, then yellows left to right, consuming each secret letter once', () => {
    expect(wordleFeedback('ABBEY', 'BABES')).toEqual(['Y', 'Y', 'G', 'G', 'X']);
    expect(wordleFeedback('LEG', 'EEE')).toEqual(['X', 'G', 'X']);
  });

  it('parses the last \\boxed{}, upper-cases it and removes only ASCII spaces', () => {
    expect(parseWordleGuess('\\boxed{cat} no, \\boxed{d o g}')).toBe('DOG');
    expect(parseWordleGuess('\\boxed{C\nA\nT}')).toBe('C\nA\nT');
    expect(parseWordleGuess('\\boxed{C\x85A}')).toBe('C\x85A');
    expect(parseWordleGuess('\\boxed{C\ufeffA}')).toBeNull();
    expect(parseWordleGuess('\\BOXED{cat}')).toBeNull();
    expect(parseWordleGuess('\\boxed{ cat}')).toBeNull();
  });

  it('pays 0.5/L once per position turning green and ends a format error on the last turn as truncated', () => {
    const env = make('game:Wordle-v0-easy');
    env.reset(0);
    expect(env.step('\\boxed{LEG}')[1]).toBeCloseTo(0.5 / 3, 12);
    expect(env.step('\\boxed{BEE}')[1]).toBe(0);
    for (let t = 3; t < 15; t++) env.step('\\boxed{q}');
    expect(env.step('no box')).toEqual(['At turn 15, you did not provide a valid guess.', -0.1, true, true, { suffix: 'Enter your guess.' }]);
  });

  it('continues the RNG stream on an unseeded reset and repeats it on a seeded one', () => {
    const env = make('game:Wordle-v0-random');
    const first = env.reset(7)[0];
    const second = env.reset()[0];
    expect(env.reset(7)[0]).toBe(first);
    expect(make('game:Wordle-v0-random').reset(7)[0]).toBe(first);
    expect(typeof second).toBe('string');
  });

  it('samples random actions as GEM does: a boxed candidate word of the secret length', () => {
    const env = make('game:Wordle-v0-hard');
    env.reset(5);
    const samples = Array.from({ length: 20 }, () => env.sampleRandomAction());
    expect(samples.every((a) => /^\\boxed\{[A-Z]{5}\}$/.test(a))).toBe(true);
    expect(samples.map((a) => parseWordleGuess(a)?.length)).toEqual(new Array(20).fill(5));
  });

  it('fails make with a GemDataError naming the missing file and ROCK_GEM_DATA_DIR', () => {
    const reg = registrations[0];
    const attempt = (dir?: string) => () => reg.create({ ...reg.kwargs }, { dataDir: dir });
    expect(attempt('/nonexistent/gem-data')).toThrow(GemDataError);
    expect(attempt('/nonexistent/gem-data')).toThrow(/corpora\/words\/en-basic.*ROCK_GEM_DATA_DIR/);
    expect(attempt(undefined)).toThrow(/ROCK_GEM_DATA_DIR.*corpora\/words\/en-basic/);
  });

  it('rejects bad kwargs naming the field', () => {
    const reg = registrations[0];
    expect(() => reg.create({ ...reg.kwargs, word_length: 'five' }, { dataDir })).toThrow(/word_length/);
    expect(() => reg.create({ ...reg.kwargs, word_length: 20 }, { dataDir })).toThrow(/word_length: .*20 letters/);
  });
});
