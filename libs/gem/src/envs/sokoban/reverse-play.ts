/**
 * GEM's reverse play (GEM.md §2.10 step 5): a depth-first search in which the player walks and
 * pulls boxes away from their targets, keeping the first state with the strictly best score.
 *
 * Parity notes (these reproduce the Python, bugs included):
 *  - the recursion passes the *parent's* `last_pull`, which is always the initial (-1, -1); so
 *    `box_swaps` is simply the number of pulls on the path from the root;
 *  - states are keyed by the whole grid (player, box cells, and which boxes were never pulled,
 *    since those keep code 4 while pulled boxes become 3), first visit wins;
 *  - `ttl` starts at 300 and the search stops adding states at 300,000.
 * The grid is mutated in place and undone after each child instead of copied.
 */
import * as cell from './room';
import { cellsWith, type RoomDims } from './room';
import { ExploredStates, StringStateSet } from './visited-states';

// Module-level copies: CommonJS re-exports are getters, too slow for the search's inner loop.
const { BOX, BOX_ON_TARGET, FLOOR, PLAYER, TARGET, WALL } = cell;
const INITIAL_TTL = 300;
const MAX_EXPLORED_STATES = 300_000;
/** Unpulled-box bits sit above 32 box-cell bits in one exact double: 20 + 32 < 53. */
const MAX_PACKED_BOXES = 20;

/** Best state found and its score (`box_swaps × Σ manhattan(box, origin)`). */
export interface ReversePlayResult {
  state: Uint8Array;
  score: number;
  /** How many distinct states the search explored (diagnostics). */
  explored: number;
}

/**
 * Runs the search from `state` (boxes as code 4 on their targets) over the fixed `structure`.
 * `keys: 'grid'` forces whole-grid string keys (the large-room path), for tests.
 */
export function reversePlay(state: Uint8Array, structure: Uint8Array, dims: RoomDims, keys: 'auto' | 'grid' = 'auto'): ReversePlayResult {
  return new ReversePlaySearch(state, structure, dims, keys).run();
}

class ReversePlaySearch {
  private readonly grid: Uint8Array;
  private readonly best: Uint8Array;
  private bestScore = -1;
  private explored = 0;
  private readonly deltas: readonly number[];
  private readonly numBoxes: number;
  private readonly boxAt: Int8Array;
  private readonly originRow: Int32Array;
  private readonly originCol: Int32Array;
  private readonly rowOf: Int32Array;
  private readonly colOf: Int32Array;
  private player: number;
  private displacement = 0;
  private emptyTargets: number;
  // Packed key parts: a bit per open cell holding a box (cells 0–31 in `boxLo`, 32–63 in `boxHi`)
  // and a bit per box still unpulled (code 4).
  private readonly floorIndex: Int32Array;
  private readonly loBit: Int32Array;
  private readonly hiBit: Int32Array;
  private boxLo = 0;
  private boxHi = 0;
  private unpulledBits = 0;
  private readonly intSet: ExploredStates | undefined;
  private readonly stringSet: StringStateSet | undefined;

  constructor(
    state: Uint8Array,
    private readonly structure: Uint8Array,
    dims: RoomDims,
    keys: 'auto' | 'grid',
  ) {
    this.grid = Uint8Array.from(state);
    this.best = Uint8Array.from(state);
    this.deltas = [-dims.w, dims.w, -1, 1];
    const origins = cellsWith(structure, TARGET);
    this.numBoxes = origins.length;
    this.originRow = Int32Array.from(origins, (c) => Math.floor(c / dims.w));
    this.originCol = Int32Array.from(origins, (c) => c % dims.w);
    this.rowOf = Int32Array.from(state, (_, c) => Math.floor(c / dims.w));
    this.colOf = Int32Array.from(state, (_, c) => c % dims.w);
    this.boxAt = new Int8Array(state.length).fill(-1);
    origins.forEach((cell, k) => (this.boxAt[cell] = k));
    this.player = state.indexOf(PLAYER);
    this.emptyTargets = cellsWith(state, TARGET).length;
    this.floorIndex = new Int32Array(state.length).fill(-1);
    let floorCount = 0;
    for (let i = 0; i < structure.length; i++) if (structure[i] !== WALL) this.floorIndex[i] = floorCount++;
    const fi = this.floorIndex;
    this.loBit = Int32Array.from(fi, (f) => (f >= 0 && f < 32 ? 1 << f : 0));
    this.hiBit = Int32Array.from(fi, (f) => (f >= 32 && f < 64 ? 1 << (f - 32) : 0));
    for (let i = 0; i < state.length; i++) {
      if (state[i] === BOX || state[i] === BOX_ON_TARGET) {
        this.boxLo |= this.loBit[i];
        this.boxHi |= this.hiBit[i];
      }
    }
    for (let k = 0; k < this.numBoxes; k++) if (state[origins[k]] === BOX) this.unpulledBits |= 1 << k;
    const packed = keys === 'auto' && floorCount <= 64 && this.numBoxes <= MAX_PACKED_BOXES;
    // Both fields always assigned, so every search object has one shape.
    this.intSet = packed ? new ExploredStates() : undefined;
    this.stringSet = packed ? undefined : new StringStateSet();
  }

  run(): ReversePlayResult {
    this.visit(INITIAL_TTL, 0);
    return { state: this.best, score: this.bestScore, explored: this.explored };
  }

  /** Adds the current grid to the explored set; true when it was new. */
  private markExplored(): boolean {
    const added = this.intSet
      ? this.intSet.add(this.boxLo >>> 0, (this.boxHi >>> 0) + this.unpulledBits * 4294967296, this.floorIndex[this.player])
      : this.stringSet!.add(String.fromCharCode(...this.grid));
    if (added) this.explored++;
    return added;
  }

  /** `depth_first_search`; `pulls` is GEM's `box_swaps` (see the module note). */
  private visit(parentTtl: number, pulls: number): void {
    const ttl = parentTtl - 1;
    if (ttl <= 0 || this.explored >= MAX_EXPLORED_STATES) return;
    if (!this.markExplored()) return;
    const score = this.emptyTargets === this.numBoxes ? pulls * this.displacement : 0;
    if (score > this.bestScore) {
      this.bestScore = score;
      this.best.set(this.grid);
    }
    for (let a = 0; a < 4; a++) this.tryMove(this.deltas[a], ttl, pulls);
  }

  /**
   * `reverse_move` then recursion, then undo. A blocked move would recurse into the same grid,
   * which is already explored and changes nothing, so it is skipped.
   */
  private tryMove(delta: number, ttl: number, pulls: number): void {
    const { grid, structure } = this;
    const from = this.player;
    const to = from + delta;
    const toValue = grid[to];
    if (toValue !== FLOOR && toValue !== TARGET) return;
    const savedEmpty = this.emptyTargets;
    const savedDisplacement = this.displacement;
    const savedBoxLo = this.boxLo;
    const savedBoxHi = this.boxHi;
    const savedUnpulled = this.unpulledBits;
    this.setCell(from, structure[from]);
    this.setCell(to, PLAYER);
    this.player = to;
    const boxCell = from - delta;
    const boxValue = grid[boxCell];
    const pulled = boxValue === BOX || boxValue === BOX_ON_TARGET;
    if (pulled) this.pullBox(boxCell, from, boxValue);
    this.visit(ttl, pulls + (pulled ? 1 : 0));
    if (pulled) {
      const k = this.boxAt[from];
      this.boxAt[from] = -1;
      this.boxAt[boxCell] = k;
      grid[boxCell] = boxValue;
    }
    grid[to] = toValue;
    grid[from] = PLAYER;
    this.player = from;
    this.emptyTargets = savedEmpty;
    this.displacement = savedDisplacement;
    this.boxLo = savedBoxLo;
    this.boxHi = savedBoxHi;
    this.unpulledBits = savedUnpulled;
  }

  /** Moves the box at `boxCell` into `into` (the player's old cell) as code 3. */
  private pullBox(boxCell: number, into: number, boxValue: number): void {
    const k = this.boxAt[boxCell];
    this.setCell(into, BOX_ON_TARGET);
    this.setCell(boxCell, this.structure[boxCell]);
    this.boxAt[boxCell] = -1;
    this.boxAt[into] = k;
    this.displacement += this.distance(k, into) - this.distance(k, boxCell);
    this.boxLo ^= this.loBit[into] ^ this.loBit[boxCell];
    this.boxHi ^= this.hiBit[into] ^ this.hiBit[boxCell];
    if (boxValue === BOX) this.unpulledBits &= ~(1 << k);
  }

  private distance(k: number, cell: number): number {
    const dr = this.rowOf[cell] - this.originRow[k];
    const dc = this.colOf[cell] - this.originCol[k];
    return (dr < 0 ? -dr : dr) + (dc < 0 ? -dc : dc);
  }

  /** Writes a cell, keeping the count of empty targets (code 2) in step. */
  private setCell(cell: number, value: number): void {
    if (this.grid[cell] === TARGET) this.emptyTargets--;
    if (value === TARGET) this.emptyTargets++;
    this.grid[cell] = value;
  }
}
