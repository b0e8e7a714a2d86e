/**
 * The reverse-play search's "explored states" set. GEM keys it by the whole grid
 * (`marshal.dumps(room_state)`). A grid is fully described by the player's cell, the box cells and
 * which boxes were never pulled (code 4 rather than 3); rooms with at most 64 open cells (every
 * room up to 10×10) use the packed `ExploredStates`, larger rooms a string of the grid.
 */

const INITIAL_BITS = 12;
// Module-scoped so the hot path does no global lookups (slow inside jest's vm contexts).
const imul = Math.imul;

function slotOf(lo: number, hi: number, mask: number): number {
  const hiHigh = (hi / 4294967296) | 0;
  let h = imul(lo ^ imul(hi ^ imul(hiHigh, 0x27d4eb2f), 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 15;
  h = imul(h, 0x2c1b3c6d);
  h ^= h >>> 13;
  return h & mask;
}

/**
 * Explored (box configuration, player cell) pairs: a hash table keyed by the box configuration,
 * given as two exact integers (`lo` < 2^32, `hi` < 2^52), holding a 64-bit mask of player cells
 * (cell index < 64). The search walks the player around one configuration many times in a row,
 * so the last slot is cached and most visits cost one bit test on a hot cache line.
 */
export class ExploredStates {
  /** `hi` stored as hi + 1, so 0 marks an empty slot. */
  private keys = new Float64Array(1 << INITIAL_BITS);
  private keysLo = new Uint32Array(1 << INITIAL_BITS);
  private low = new Uint32Array(1 << INITIAL_BITS);
  private high = new Uint32Array(1 << INITIAL_BITS);
  private mask = (1 << INITIAL_BITS) - 1;
  private configs = 0;
  private lastLo = -1;
  private lastHi = -1;
  private lastSlot = 0;
  /** Number of distinct (configuration, player) states added. */
  size = 0;

  /** Adds the state; true when it was not present yet. */
  add(lo: number, hi: number, player: number): boolean {
    const slot = lo === this.lastLo && hi === this.lastHi ? this.lastSlot : this.slotFor(lo, hi);
    if (player < 32) {
      const bit = 1 << player;
      if ((this.low[slot] & bit) !== 0) return false;
      this.low[slot] |= bit;
    } else {
      const bit = 1 << (player - 32);
      if ((this.high[slot] & bit) !== 0) return false;
      this.high[slot] |= bit;
    }
    this.size++;
    return true;
  }

  /** Finds or inserts the configuration; may grow the table. */
  private slotFor(lo: number, hi: number): number {
    const stored = hi + 1;
    let slot = slotOf(lo, hi, this.mask);
    for (let v = this.keys[slot]; v !== stored || this.keysLo[slot] !== lo; v = this.keys[slot]) {
      if (v === 0) {
        this.keys[slot] = stored;
        this.keysLo[slot] = lo;
        if (++this.configs * 2 > this.mask) slot = this.grow(lo, hi);
        break;
      }
      slot = (slot + 1) & this.mask;
    }
    this.lastLo = lo;
    this.lastHi = hi;
    this.lastSlot = slot;
    return slot;
  }

  /** Doubles the table and returns the new slot of (`lo`, `hi`). */
  private grow(lo: number, hi: number): number {
    const { keys, keysLo, low, high } = this;
    const size = keys.length * 2;
    this.keys = new Float64Array(size);
    this.keysLo = new Uint32Array(size);
    this.low = new Uint32Array(size);
    this.high = new Uint32Array(size);
    this.mask = size - 1;
    let found = -1;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === 0) continue;
      let slot = slotOf(keysLo[i], keys[i] - 1, this.mask);
      while (this.keys[slot] !== 0) slot = (slot + 1) & this.mask;
      this.keys[slot] = keys[i];
      this.keysLo[slot] = keysLo[i];
      this.low[slot] = low[i];
      this.high[slot] = high[i];
      if (keys[i] === hi + 1 && keysLo[i] === lo) found = slot;
    }
    return found;
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
