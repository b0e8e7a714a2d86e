/**
 * The reverse-play search's "explored states" set. GEM keys it by the whole grid
 * (`marshal.dumps(room_state)`); the search encodes a grid as one exact integer below 2^53 when
 * it fits and as a string otherwise. Integer keys live in an open-addressing table with
 * generation stamps, so a new search costs no clearing and no allocation.
 */

const TABLE_BITS = 20;
const TABLE_SIZE = 1 << TABLE_BITS;
const TABLE_MASK = TABLE_SIZE - 1;
const TWO_POW_32 = 4294967296;

/** A set of exact integer keys in [0, 2^53), sized for GEM's 300,000-state cap. */
export class IntegerStateSet {
  private static shared: { keys: Float64Array; stamps: Uint32Array; generation: number } | undefined;
  private readonly keys: Float64Array;
  private readonly stamps: Uint32Array;
  private readonly generation: number;
  size = 0;

  /** Capacity is fixed at 2^20 slots; callers must stay well below it (GEM caps at 300,000). */
  constructor() {
    const shared = (IntegerStateSet.shared ??= {
      keys: new Float64Array(TABLE_SIZE),
      stamps: new Uint32Array(TABLE_SIZE),
      generation: 0,
    });
    if (shared.generation === 0xffffffff) {
      shared.stamps.fill(0);
      shared.generation = 0;
    }
    this.keys = shared.keys;
    this.stamps = shared.stamps;
    this.generation = ++shared.generation;
  }

  /** Adds `key`; true when it was not present yet. */
  add(key: number): boolean {
    const lo = key >>> 0;
    const hi = (key / TWO_POW_32) | 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    for (let slot = h & TABLE_MASK; ; slot = (slot + 1) & TABLE_MASK) {
      if (this.stamps[slot] !== this.generation) {
        this.stamps[slot] = this.generation;
        this.keys[slot] = key;
        this.size++;
        return true;
      }
      if (this.keys[slot] === key) return false;
    }
  }
}

/** Fallback for rooms too large for integer keys. */
export class StringStateSet {
  private readonly seen = new Set<string>();

  get size(): number {
    return this.seen.size;
  }

  /** Adds `key`; true when it was not present yet. */
  add(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}
