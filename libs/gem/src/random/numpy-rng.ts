/**
 * numpy's `default_rng(seed)` = `Generator(PCG64(SeedSequence(seed)))`, for the two calls GEM
 * uses: `integers(n)` (32-bit Lemire path with the buffered high half) and `random()`.
 * Ported from numpy/random/bit_generator.pyx, _pcg64/pcg64.h and distributions.c (GEM.md §1.4).
 */
import { PyRandomError, seedWords } from './py-random';

const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const POOL_SIZE = 4;

const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;
const PCG_MULT = 0x2360ed051fc65da44385df649fccf645n;

/** SeedSequence's `hashmix`, with the multiplier carried in `hashConst[0]`. */
function hashmix(value: number, hashConst: Uint32Array): number {
  let v = (value ^ hashConst[0]) >>> 0;
  hashConst[0] = Math.imul(hashConst[0], MULT_A);
  v = Math.imul(v, hashConst[0]) >>> 0;
  return (v ^ (v >>> 16)) >>> 0;
}

function mix(x: number, y: number): number {
  const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
  return (r ^ (r >>> 16)) >>> 0;
}

/** `SeedSequence(entropy).pool` for an int entropy (no spawn key). */
export function seedSequencePool(entropy: readonly number[]): Uint32Array {
  const pool = new Uint32Array(POOL_SIZE);
  const hashConst = new Uint32Array([INIT_A]);
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < entropy.length ? entropy[i] : 0, hashConst);
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) {
      if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src], hashConst));
    }
  }
  for (let src = POOL_SIZE; src < entropy.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src], hashConst));
  }
  return pool;
}

/** `SeedSequence.generate_state(nWords, uint32)`. */
export function generateState32(pool: Uint32Array, nWords: number): Uint32Array {
  const out = new Uint32Array(nWords);
  let hashConst = INIT_B;
  for (let i = 0; i < nWords; i++) {
    let v = (pool[i % pool.length] ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_B) >>> 0;
    v = Math.imul(v, hashConst) >>> 0;
    out[i] = (v ^ (v >>> 16)) >>> 0;
  }
  return out;
}

/** PCG64 (setseq 128, XSL-RR 64) with numpy's buffered 32-bit half. */
export class Pcg64 {
  private state = 0n;
  private inc = 0n;
  private hasUint32 = false;
  private uinteger = 0;

  /** Seeds from `SeedSequence(seed).generate_state(4, uint64)` exactly as `PCG64(seed)`. */
  constructor(seed: number | bigint) {
    if (typeof seed === 'number' ? !Number.isSafeInteger(seed) || seed < 0 : seed < 0n) {
      throw new PyRandomError('ValueError', `SeedSequence expects a non-negative integer, got ${seed}`);
    }
    const w = generateState32(seedSequencePool(seedWords(seed)), 8);
    const u64 = (i: number): bigint => (BigInt(w[2 * i + 1]) << 32n) | BigInt(w[2 * i]);
    const initState = (u64(0) << 64n) | u64(1);
    const initSeq = (u64(2) << 64n) | u64(3);
    this.inc = ((initSeq << 1n) | 1n) & MASK128;
    this.step();
    this.state = (this.state + initState) & MASK128;
    this.step();
  }

  /** `next_uint64`: step, then XSL-RR output. */
  nextUint64(): bigint {
    this.step();
    const s = this.state;
    const x = ((s >> 64n) ^ s) & MASK64;
    const rot = s >> 122n;
    return ((x >> rot) | (x << ((64n - rot) & 63n))) & MASK64;
  }

  /** `next_uint32`: low half of a fresh 64-bit output first; the high half is kept for the next call. */
  nextUint32(): number {
    if (this.hasUint32) {
      this.hasUint32 = false;
      return this.uinteger;
    }
    const next = this.nextUint64();
    this.hasUint32 = true;
    this.uinteger = Number(next >> 32n);
    return Number(next & 0xffffffffn);
  }

  /** `next_double`: 53 high bits of a 64-bit output. */
  nextDouble(): number {
    return Number(this.nextUint64() >> 11n) / 9007199254740992;
  }

  private step(): void {
    this.state = (this.state * PCG_MULT + this.inc) & MASK128;
  }
}

/** numpy `Generator` over PCG64, restricted to what GEM's games call. */
export class NumpyGenerator {
  constructor(private readonly bitGen: Pcg64) {}

  /**
   * `integers(low, high)` (or `integers(high)` with `low = 0`), high exclusive, for ranges below
   * 2^32: numpy's `random_bounded_uint64` → `buffered_bounded_lemire_uint32`.
   */
  integers(low: number, high?: number): number {
    const lo = high === undefined ? 0 : low;
    const hi = high === undefined ? low : high;
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) {
      throw new PyRandomError('TypeError', `integers() bounds must be safe integers, got (${lo}, ${hi})`);
    }
    if (hi <= lo) throw new PyRandomError('ValueError', 'low >= high');
    const rng = hi - lo - 1;
    if (rng === 0) return lo;
    if (rng > 0xffffffff) throw new PyRandomError('ValueError', 'integers() supports ranges below 2^32 only');
    if (rng === 0xffffffff) return lo + this.bitGen.nextUint32();
    return lo + this.lemire32(rng + 1);
  }

  /** `random()`: a float in [0, 1). */
  random(): number {
    return this.bitGen.nextDouble();
  }

  /** Lemire's nearly-divisionless bounded draw on 32-bit words; `n` = exclusive bound < 2^32. */
  private lemire32(n: number): number {
    let m = mul32(this.bitGen.nextUint32(), n);
    if (m.low < n) {
      const threshold = (0x100000000 - n) % n;
      while (m.low < threshold) m = mul32(this.bitGen.nextUint32(), n);
    }
    return m.high;
  }
}

/** 32×32 → 64-bit product split into high and low 32-bit words, without BigInt. */
function mul32(a: number, b: number): { high: number; low: number } {
  // a*b = (a>>>16)*b*2^16 + (a&0xffff)*b; split the first partial product again so every sum is exact.
  const p1 = (a & 0xffff) * b;
  const p2 = (a >>> 16) * b;
  const p2Lo = p2 % 65536;
  const high = (p2 - p2Lo) / 65536 + Math.floor((p2Lo * 65536 + p1) / 4294967296);
  return { high, low: Math.imul(a, b) >>> 0 };
}

/** `numpy.random.default_rng(seed)`. */
export function defaultRng(seed: number | bigint): NumpyGenerator {
  return new NumpyGenerator(new Pcg64(seed));
}
