/**
 * Minesweeper grid state and rules (GEM.md §2.3): lazy mine placement around the first reveal,
 * 8-neighbour counts, BFS flood fill through zero cells, GEM's win rule and board text.
 */
import type { PyRandom } from '../../random';

const MINE = -1;
const NEIGHBOURS: ReadonlyArray<readonly [number, number]> = [
  [-1, -1],
  [-1, 0],
  [-1, 1],
  [0, -1],
  [0, 1],
  [1, -1],
  [1, 0],
  [1, 1],
];

export class MinesweeperBoard {
  /** Mine = -1, else the count of neighbouring mines; all zero until mines are placed. */
  private readonly grid: Int8Array;
  private readonly revealed: Uint8Array;
  private readonly flagged: Uint8Array;
  private placed = false;

  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly numMines: number,
  ) {
    this.grid = new Int8Array(rows * cols);
    this.revealed = new Uint8Array(rows * cols);
    this.flagged = new Uint8Array(rows * cols);
  }

  get minesPlaced(): boolean {
    return this.placed;
  }

  inBounds(r: number, c: number): boolean {
    return r >= 0 && r < this.rows && c >= 0 && c < this.cols;
  }

  isMine(r: number, c: number): boolean {
    return this.grid[r * this.cols + c] === MINE;
  }

  isRevealed(r: number, c: number): boolean {
    return this.revealed[r * this.cols + c] === 1;
  }

  isFlagged(r: number, c: number): boolean {
    return this.flagged[r * this.cols + c] === 1;
  }

  /** Toggles a flag; returns true when the flag was added. */
  toggleFlag(r: number, c: number): boolean {
    const i = r * this.cols + c;
    this.flagged[i] ^= 1;
    return this.flagged[i] === 1;
  }

  /** GEM's placement: rejection-sample cells outside the 3×3 block around the first reveal. */
  placeMines(rng: PyRandom, firstRow: number, firstCol: number): void {
    let placed = 0;
    while (placed < this.numMines) {
      const r = rng.randint(0, this.rows - 1);
      const c = rng.randint(0, this.cols - 1);
      const nearFirst = Math.abs(r - firstRow) <= 1 && Math.abs(c - firstCol) <= 1;
      if (this.isMine(r, c) || nearFirst) continue;
      this.grid[r * this.cols + c] = MINE;
      placed++;
    }
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++) {
        if (!this.isMine(r, c)) this.grid[r * this.cols + c] = this.countAround(r, c);
      }
    }
    this.placed = true;
  }

  /** Reveals a safe cell and flood-fills through zeros; returns how many cells were newly revealed. */
  reveal(r: number, c: number): number {
    const queue: number[] = [r * this.cols + c];
    this.revealed[queue[0]] = 1;
    let count = 1;
    for (let head = 0; head < queue.length; head++) {
      const i = queue[head];
      if (this.grid[i] !== 0) continue;
      const cr = Math.floor(i / this.cols);
      const cc = i % this.cols;
      for (const [dr, dc] of NEIGHBOURS) {
        const nr = cr + dr;
        const nc = cc + dc;
        if (!this.inBounds(nr, nc)) continue;
        const j = nr * this.cols + nc;
        if (this.revealed[j] || this.flagged[j]) continue;
        this.revealed[j] = 1;
        count++;
        queue.push(j);
      }
    }
    return count;
  }

  /** GEM's win rule: every safe cell revealed and every mine flagged. */
  isCleared(): boolean {
    for (let i = 0; i < this.grid.length; i++) {
      if (this.grid[i] === MINE ? !this.flagged[i] : !this.revealed[i]) return false;
    }
    return true;
  }

  /** Header of right-aligned column numbers, then one row per line (count, `F` or `.`; GEM's precedence). */
  render(): string {
    const pad = (n: number): string => String(n).padStart(2, ' ');
    let out = `   ${Array.from({ length: this.cols }, (_, c) => pad(c)).join(' ')}\n`;
    for (let r = 0; r < this.rows; r++) {
      out += `${pad(r)} `;
      for (let c = 0; c < this.cols; c++) {
        const i = r * this.cols + c;
        if (this.revealed[i]) out += this.grid[i] === MINE ? ' * ' : ` ${this.grid[i]} `;
        else out += this.flagged[i] ? ' F ' : ' . ';
      }
      out += '\n';
    }
    return out;
  }

  private countAround(r: number, c: number): number {
    let n = 0;
    for (const [dr, dc] of NEIGHBOURS) if (this.inBounds(r + dr, c + dc) && this.isMine(r + dr, c + dc)) n++;
    return n;
  }
}
