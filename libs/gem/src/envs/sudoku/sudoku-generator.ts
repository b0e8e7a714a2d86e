/**
 * GEM's Sudoku level generator (GEM.md §2.7), reproducing its RNG draws exactly:
 *  1. full grid: backtracking over empty cells in row-major order; every visit of a cell calls
 *     `shuffle([1..scale])` and tries the digits in that order;
 *  2. puzzle: `shuffle` the row-major cell list, then pop cells from the end while more than
 *     `scale² − clues` remain, blanking each and restoring it when the puzzle stops having exactly
 *     one solution.
 * Grids are flat row-major arrays, 0 = empty. Uniqueness has no RNG, so it uses a faster
 * bitmask solver than GEM's; only "one solution or not" is observable.
 */
import type { PyRandom } from '../../random';

/** Row, column and box index of every cell, plus the bit for each digit, for one scale. */
interface Geometry {
  scale: number;
  rowOf: Int8Array;
  colOf: Int8Array;
  boxOf: Int8Array;
}

const geometries = new Map<number, Geometry>();

export function geometry(scale: number): Geometry {
  let g = geometries.get(scale);
  if (g) return g;
  const box = Math.round(Math.sqrt(scale));
  const cells = scale * scale;
  g = { scale, rowOf: new Int8Array(cells), colOf: new Int8Array(cells), boxOf: new Int8Array(cells) };
  for (let i = 0; i < cells; i++) {
    const r = Math.floor(i / scale);
    const c = i % scale;
    g.rowOf[i] = r;
    g.colOf[i] = c;
    g.boxOf[i] = Math.floor(r / box) * box + Math.floor(c / box);
  }
  geometries.set(scale, g);
  return g;
}

/** Used-digit bitmasks (bit d set = digit d present) per row, column and box. */
class Occupancy {
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly boxes: Int32Array;

  constructor(
    readonly g: Geometry,
    grid: readonly number[],
  ) {
    this.rows = new Int32Array(g.scale);
    this.cols = new Int32Array(g.scale);
    this.boxes = new Int32Array(g.scale);
    for (let i = 0; i < grid.length; i++) if (grid[i] !== 0) this.set(i, grid[i]);
  }

  free(cell: number): number {
    const g = this.g;
    return ~(this.rows[g.rowOf[cell]] | this.cols[g.colOf[cell]] | this.boxes[g.boxOf[cell]]);
  }

  set(cell: number, digit: number): void {
    const bit = 1 << digit;
    this.rows[this.g.rowOf[cell]] |= bit;
    this.cols[this.g.colOf[cell]] |= bit;
    this.boxes[this.g.boxOf[cell]] |= bit;
  }

  clear(cell: number, digit: number): void {
    const bit = ~(1 << digit);
    this.rows[this.g.rowOf[cell]] &= bit;
    this.cols[this.g.colOf[cell]] &= bit;
    this.boxes[this.g.boxOf[cell]] &= bit;
  }
}

function digits(scale: number): number[] {
  return Array.from({ length: scale }, (_, i) => i + 1);
}

/** GEM's `_fill_grid`: same visiting order and one `shuffle` per visit, so the same RNG stream. */
function fill(grid: number[], occ: Occupancy, from: number, rng: PyRandom): boolean {
  let cell = from;
  while (cell < grid.length && grid[cell] !== 0) cell++;
  if (cell === grid.length) return true;
  const order = digits(occ.g.scale);
  rng.shuffle(order);
  const free = occ.free(cell);
  for (const digit of order) {
    if ((free & (1 << digit)) === 0) continue;
    grid[cell] = digit;
    occ.set(cell, digit);
    if (fill(grid, occ, cell + 1, rng)) return true;
    occ.clear(cell, digit);
    grid[cell] = 0;
  }
  return false;
}

export function generateFullGrid(scale: number, rng: PyRandom): number[] {
  const grid = new Array<number>(scale * scale).fill(0);
  fill(grid, new Occupancy(geometry(scale), grid), 0, rng);
  return grid;
}

/** Set-bit counts for digit masks (bits 1..9 at most). */
const POPCOUNT = Uint8Array.from({ length: 1 << 10 }, (_, x) => {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
});

/** Number of solutions of `grid`, counting no further than `limit`; `grid` is restored on return. */
export function countSolutions(grid: number[], scale: number, limit = 2): number {
  const occ = new Occupancy(geometry(scale), grid);
  const mask = ((1 << (scale + 1)) - 1) & ~1;
  const empties: number[] = [];
  for (let cell = 0; cell < grid.length; cell++) if (grid[cell] === 0) empties.push(cell);
  // Depth-first with the most-constrained empty cell first; `depth` empties are already filled.
  const search = (depth: number, budget: number): number => {
    if (depth === empties.length) return 1;
    let bestAt = -1;
    let bestFree = 0;
    let bestCount = scale + 1;
    for (let k = depth; k < empties.length; k++) {
      const free = occ.free(empties[k]) & mask;
      const count = POPCOUNT[free];
      if (count < bestCount) [bestAt, bestFree, bestCount] = [k, free, count];
      if (count <= 1) break;
    }
    if (bestCount === 0) return 0;
    const cell = empties[bestAt];
    empties[bestAt] = empties[depth];
    empties[depth] = cell;
    let found = 0;
    for (let digit = 1; digit <= scale && found < budget; digit++) {
      if ((bestFree & (1 << digit)) === 0) continue;
      grid[cell] = digit;
      occ.set(cell, digit);
      found += search(depth + 1, budget - found);
      occ.clear(cell, digit);
      grid[cell] = 0;
    }
    empties[depth] = empties[bestAt];
    empties[bestAt] = cell;
    return found;
  };
  return search(0, limit);
}

/** GEM's `_remove_cells`: try blanking `clues` shuffled cells, keeping only removals that stay unique. */
export function removeCells(full: readonly number[], scale: number, clues: number, rng: PyRandom): number[] {
  const puzzle = full.slice();
  const cells: number[] = [];
  for (let i = 0; i < scale * scale; i++) cells.push(i);
  rng.shuffle(cells);
  while (cells.length > scale * scale - clues) {
    const cell = cells.pop() as number;
    const removed = puzzle[cell];
    puzzle[cell] = 0;
    if (countSolutions(puzzle, scale) !== 1) puzzle[cell] = removed;
  }
  return puzzle;
}
