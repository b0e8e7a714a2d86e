/**
 * CPython 3.11 `random.Random` (MT19937), bit-for-bit (GEM.md §1.4).
 *
 * All hot paths use 32-bit integer math (`Math.imul`, `>>> 0`); BigInt appears only for
 * `getrandbits(k > 53)` and for seeding with bigints.
 */

const N = 624;
const M = 397;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df;
const TWO_POW_32 = 4294967296;

/** Error CPython would raise as ValueError/IndexError/TypeError; `pyType` names which. */
export class PyRandomError extends Error {
  constructor(
    readonly pyType: 'ValueError' | 'IndexError' | 'TypeError',
    message: string,
  ) {
    super(message);
    this.name = 'PyRandomError';
  }
}

/** The 32-bit little-endian words of `abs(n)`; `[0]` for 0 (CPython `random_seed`). */
export function seedWords(n: number | bigint): number[] {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) {
    throw new PyRandomError('TypeError', `seed must be a safe integer or a bigint, got ${n}`);
  }
  if (typeof n === 'number') {
    const a = Math.abs(n);
    return a < TWO_POW_32 ? [a] : [a % TWO_POW_32, Math.floor(a / TWO_POW_32)];
  }
  let big = n;
  if (big < 0n) big = -big;
  if (big === 0n) return [0];
  const words: number[] = [];
  while (big > 0n) {
    words.push(Number(big & 0xffffffffn));
    big >>= 32n;
  }
  return words;
}

function bitLength(n: number): number {
  return n < TWO_POW_32 ? 32 - Math.clz32(n) : 32 + (32 - Math.clz32(Math.floor(n / TWO_POW_32)));
}

/** CPython's `random.Random`, seeded from an int exactly like `random.seed(n)`. */
export class PyRandom {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  constructor(seed: number | bigint = 0) {
    this.seed(seed);
  }

  /** `random.seed(n)` for an int `n` (sign ignored, as in CPython). */
  seed(n: number | bigint): void {
    this.initByArray(seedWords(n));
  }

  /** Raw MT19937 output: `genrand_uint32`. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `random()`: a float in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `getrandbits(k)`: a number for k ≤ 32, a bigint above. */
  getrandbits(k: number): number | bigint {
    if (!Number.isInteger(k) || k < 0) throw new PyRandomError('ValueError', 'number of bits must be non-negative');
    if (k <= 32) return this.bits32(k);
    let result = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32, shift += 32n) {
      const word = left < 32 ? this.nextUint32() >>> (32 - left) : this.nextUint32();
      result |= BigInt(word) << shift;
    }
    return result;
  }

  /** `_randbelow(n)` via getrandbits rejection; n in [1, 2^53]. */
  randbelow(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new PyRandomError('ValueError', `randbelow needs a positive safe integer, got ${n}`);
    const k = bitLength(n);
    if (k <= 32) {
      let r = this.bits32(k);
      while (r >= n) r = this.bits32(k);
      return r;
    }
    let r = this.bits53(k);
    while (r >= n) r = this.bits53(k);
    return r;
  }

  /** `randint(a, b)`: an int in [a, b] (both ends included). */
  randint(a: number, b: number): number {
    return this.randrange(a, b + 1);
  }

  /** `randrange(start, stop?, step?)` with CPython 3.11's argument rules. */
  randrange(start: number, stop?: number, step = 1): number {
    assertInt(start, 'start');
    if (stop === undefined) {
      if (start > 0) return this.randbelow(start);
      throw new PyRandomError('ValueError', 'empty range for randrange()');
    }
    assertInt(stop, 'stop');
    assertInt(step, 'step');
    const width = stop - start;
    if (step === 1) {
      if (width > 0) return start + this.randbelow(width);
      throw new PyRandomError('ValueError', `empty range for randrange() (${start}, ${stop}, ${width})`);
    }
    if (step === 0) throw new PyRandomError('ValueError', 'zero step for randrange()');
    const n = step > 0 ? Math.floor((width + step - 1) / step) : Math.floor((width + step + 1) / step);
    if (n <= 0) throw new PyRandomError('ValueError', 'empty range for randrange()');
    return start + step * this.randbelow(n);
  }

  /** `choice(seq)`. */
  choice<T>(seq: readonly T[]): T {
    if (seq.length === 0) throw new PyRandomError('IndexError', 'Cannot choose from an empty sequence');
    return seq[this.randbelow(seq.length)];
  }

  /** `shuffle(x)` in place (Fisher–Yates from the end). */
  shuffle<T>(x: T[]): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
  }

  /** `sample(population, k)`: pool method for small populations, set method otherwise (as CPython). */
  sample<T>(population: readonly T[], k: number): T[] {
    const n = population.length;
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new PyRandomError('ValueError', 'Sample larger than population or is negative');
    }
    const result: T[] = new Array<T>(k);
    let setsize = 21;
    if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
    if (n <= setsize) {
      const pool = population.slice();
      for (let i = 0; i < k; i++) {
        const j = this.randbelow(n - i);
        result[i] = pool[j];
        pool[j] = pool[n - i - 1];
      }
      return result;
    }
    const selected = new Set<number>();
    for (let i = 0; i < k; i++) {
      let j = this.randbelow(n);
      while (selected.has(j)) j = this.randbelow(n);
      selected.add(j);
      result[i] = population[j];
    }
    return result;
  }

  /** `choices(population, k=k)` without weights. */
  choices<T>(population: readonly T[], k = 1): T[] {
    const n = population.length;
    if (n === 0 && k > 0) throw new PyRandomError('IndexError', 'Cannot choose from an empty sequence');
    const out: T[] = new Array<T>(k);
    for (let i = 0; i < k; i++) out[i] = population[Math.floor(this.random() * n)];
    return out;
  }

  /** `uniform(a, b)`. */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }

  private bits32(k: number): number {
    return k === 0 ? 0 : this.nextUint32() >>> (32 - k);
  }

  /** getrandbits(k) for 32 < k ≤ 53 as a number: low word first, as CPython fills words. */
  private bits53(k: number): number {
    const low = this.nextUint32();
    const high = this.nextUint32() >>> (64 - k);
    return high * TWO_POW_32 + low;
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.index = N;
  }

  private twist(): void {
    const mt = this.mt;
    let kk = 0;
    for (; kk < N - M; kk++) {
      const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.index = 0;
  }
}

function assertInt(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new PyRandomError('ValueError', `${name} must be a safe integer, got ${value}`);
}
