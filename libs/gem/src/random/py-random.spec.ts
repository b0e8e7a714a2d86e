import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PyRandom, PyRandomError } from './py-random';

interface Vectors {
  u32: number[];
  random: string[];
  randint: number[];
  randint_big: number[];
  randrange: number[];
  choice: string[];
  shuffle: number[];
  sample_pool: number[];
  sample_pool_k6: number[];
  sample_set: number[];
  sample_set_big: number[];
  choices: number[];
  uniform: string;
  getrandbits: [number, number, string, string];
  after: number;
}

/** Produced by CPython 3.11.7 with the script stored in the fixture itself. */
const fixture = JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'cpython-random.json'), 'utf8')) as {
  vectors: Record<string, Vectors>;
};

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

describe('PyRandom matches CPython 3.11 random.Random', () => {
  it.each(Object.entries(fixture.vectors))('seed %s: the whole call sequence', (seedText, v) => {
    const r = new PyRandom(BigInt(seedText));
    expect(range(0, 5).map(() => r.getrandbits(32))).toEqual(v.u32);
    expect(range(0, 3).map(() => r.random())).toEqual(v.random.map(Number));
    expect(range(0, 10).map(() => r.randint(0, 99))).toEqual(v.randint);
    expect(range(0, 3).map(() => r.randint(1, 2 ** 40))).toEqual(v.randint_big);
    expect([r.randrange(10), r.randrange(5, 50, 3), r.randrange(50, 5, -7), r.randrange(-10, 10)]).toEqual(v.randrange);
    expect(range(0, 5).map(() => r.choice([...'abcdefg']))).toEqual(v.choice);
    const x = range(0, 10);
    r.shuffle(x);
    expect(x).toEqual(v.shuffle);
    expect(r.sample(range(1, 9), 4)).toEqual(v.sample_pool);
    expect(r.sample(range(0, 40), 6)).toEqual(v.sample_pool_k6);
    expect(r.sample(range(0, 850), 5)).toEqual(v.sample_set);
    expect(r.sample(range(0, 235886), 5)).toEqual(v.sample_set_big);
    expect(r.choices(range(0, 7), 6)).toEqual(v.choices);
    expect(r.uniform(-3, 5)).toBe(Number(v.uniform));
    const bits = [r.getrandbits(1), r.getrandbits(7), String(r.getrandbits(64)), String(r.getrandbits(100))];
    expect(bits).toEqual(v.getrandbits);
    expect(r.getrandbits(32)).toBe(v.after);
  });

  it('seeds from a plain number exactly like the same bigint, and re-seeding restarts the stream', () => {
    const a = new PyRandom(4294967295);
    const b = new PyRandom(4294967295n);
    const first = range(0, 50).map(() => a.nextUint32());
    expect(range(0, 50).map(() => b.nextUint32())).toEqual(first);
    a.seed(4294967295);
    expect(range(0, 50).map(() => a.nextUint32())).toEqual(first);
  });

  it('crosses the 624-word twist boundary without drift', () => {
    // CPython: random.seed(7); [getrandbits(32) for _ in range(1300)][-3:]
    const r = new PyRandom(7);
    const words = range(0, 1300).map(() => r.nextUint32());
    expect(words.slice(-3)).toEqual([2267147512, 3674184203, 2010695017]);
  });

  it('switches between the pool and set methods of sample() at CPython\'s setsize boundaries', () => {
    // CPython: r = random.Random(99); the same calls in the same order.
    const r = new PyRandom(99);
    expect(r.sample(range(0, 21), 5)).toEqual([12, 20, 6, 5, 7]);
    expect(r.sample(range(0, 22), 5)).toEqual([7, 4, 2, 8, 12]);
    expect(r.sample(range(0, 85), 6)).toEqual([67, 68, 11, 79, 62, 25]);
    expect(r.sample(range(0, 86), 6)).toEqual([53, 78, 75, 27, 47, 49]);
    expect(r.sample(range(0, 50), 3)).toEqual([43, 13, 9]);
    expect(r.sample(range(0, 10 ** 6), 3)).toEqual([483900, 692655, 187696]);
    expect(r.choices([], 0)).toEqual([]);
    expect(r.randrange(0, 2 ** 53 - 1)).toBe(5106316038599480);
    expect(r.randint(2 ** 52, 2 ** 53 - 2)).toBe(4877241762449867);
    expect(() => r.randrange(0, 2 ** 53)).toThrow("stop must be a safe integer");
  });

  it('raises the errors CPython raises', () => {
    const r = new PyRandom(1);
    expect(() => r.choice([])).toThrow(PyRandomError);
    expect(() => r.randrange(0)).toThrow('empty range');
    expect(() => r.randint(5, 4)).toThrow('empty range');
    expect(() => r.randrange(1, 10, 0)).toThrow('zero step');
    expect(() => r.sample([1, 2], 3)).toThrow('Sample larger than population');
    expect(() => new PyRandom(1.5)).toThrow(PyRandomError);
  });
});
