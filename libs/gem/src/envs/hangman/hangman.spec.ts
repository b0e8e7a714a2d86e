import { GemDataError } from '../../data/gem-data';
import { describeGoldenParity, gemDataDir } from '@rock/testing';
import { EnvRegistry, list } from '../../registry';
import { parseHangmanGuess, registrations } from '.';

const dataDir = gemDataDir();

const registry = new EnvRegistry(registrations);
const make = (id: string) => registry.make(id, {}, { dataDir });

it('registers every id of the family in the process-wide registry', () => {
  expect(list()).toEqual(expect.arrayContaining(registrations.map((r) => r.id)));
});

describeGoldenParity('Hangman', ['game:Hangman-v0-easy', 'game:Hangman-v0-hard', 'game:Hangman-v0-random'], make, 100);

describe('Hangman seed facts (GEM.md)', () => {
  it.each([
    ['easy', 0, 'NEW'],
    ['easy', 1, 'COW'],
    ['hard', 0, 'PICTURE'],
    ['hard', 42, 'CURRENT'],
  ])('Hangman-v0-%s seed %i hides %s (GEM.md seed facts)', (variant, seed, secret) => {
    const env = make(`game:Hangman-v0-${variant}`);
    env.reset(seed);
    const [obs, reward, terminated, truncated] = env.step(`\\boxed{${secret.toLowerCase()}}`);
    expect(obs).toBe(`Congratulations! You guessed the word '${secret}' correctly!`);
    expect([reward, terminated, truncated]).toEqual([1, true, false]);
  });
});

describe('Hangman rules', () => {
  it('parses like Python re.IGNORECASE: any-case \\boxed, and ſ ı K İ as letters', () => {
    expect(parseHangmanGuess('\\BoXeD{e}')).toBe('E');
    expect(parseHangmanGuess('\\boxed{ſ}')).toBe('S');
    expect(parseHangmanGuess('\\boxed{ı}')).toBe('I');
    expect(parseHangmanGuess('\\boxed{\u212a}')).toBe('\u212a');
    expect(parseHangmanGuess('\\boxed{İ}')).toBe('İ');
    expect(parseHangmanGuess('\\boxed{é}')).toBeNull();
    expect(parseHangmanGuess('\\boxed{a} then \\boxed{b c}')).toBe('A');
  });

  it('does not end the game when every letter is revealed; only the whole word wins', () => {
    const env = make('game:Hangman-v0-easy');
    env.reset(0);
    const revealed = ['N', 'E', 'W'].map((l) => env.step(`\\boxed{${l}}`));
    expect(revealed.map((r) => r[2])).toEqual([false, false, false]);
    expect(revealed.reduce((sum, r) => sum + r[1], 0)).toBeCloseTo(0.5, 12);
    const [obs, reward, terminated] = env.step('\\boxed{NEW}');
    expect([obs, reward, terminated]).toEqual(["Congratulations! You guessed the word 'NEW' correctly!", 0.5, true]);
  });

  it('samples random actions as GEM does: a boxed candidate word or a boxed letter', () => {
    const env = make('game:Hangman-v0-hard');
    env.reset(5);
    const samples = Array.from({ length: 40 }, () => env.sampleRandomAction());
    expect(samples.every((a) => /^\\boxed\{([A-Z]|[A-Z]{7})\}$/.test(a))).toBe(true);
    expect(new Set(samples.map((a) => a.length > 10))).toEqual(new Set([true, false]));
  });

  it('fails make with a GemDataError naming the missing file and ROCK_GEM_DATA_DIR', () => {
    const reg = registrations[0];
    const attempt = () => reg.create({ ...reg.kwargs }, { dataDir: '/nonexistent/gem-data' });
    expect(attempt).toThrow(GemDataError);
    expect(attempt).toThrow(/corpora\/words\/en-basic.*ROCK_GEM_DATA_DIR/);
    const hardcore = () => reg.create({ ...reg.kwargs, hardcore: true }, { dataDir: '/nonexistent/gem-data' });
    expect(hardcore).toThrow(/corpora\/words\/en\b.*ROCK_GEM_DATA_DIR/);
  });

  it('plays the hardcore variant from the full en list', () => {
    const reg = registrations[1];
    const env = reg.create({ ...reg.kwargs, hardcore: true, word_length: 12 }, { dataDir });
    const [obs, info] = env.reset(3);
    expect(obs).toContain('guess the 12-letter word');
    expect(String(info.suffix)).toContain('C11');
  });
});
