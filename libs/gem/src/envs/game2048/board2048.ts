/**
 * 2048 board mechanics (GEM.md §2.9), on a flat row-major `number[]` where 0 is empty.
 * Pure functions: the env owns the RNG and the turn bookkeeping.
 */

export const DIRECTIONS = ['up', 'down', 'left', 'right'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * For each line of the board, the cell indices in the order tiles travel towards
 * (first index = the edge the tiles slide to), so one compress-and-merge routine serves all four moves.
 */
function lineIndices(size: number, direction: Direction): number[][] {
  const lines: number[][] = [];
  for (let a = 0; a < size; a++) {
    const line: number[] = [];
    for (let b = 0; b < size; b++) {
      const along = direction === 'right' || direction === 'down' ? size - 1 - b : b;
      line.push(direction === 'left' || direction === 'right' ? a * size + along : along * size + a);
    }
    lines.push(line);
  }
  return lines;
}

const lineCache = new Map<string, number[][]>();

function cachedLines(size: number, direction: Direction): number[][] {
  const key = `${size}:${direction}`;
  let lines = lineCache.get(key);
  if (!lines) {
    lines = lineIndices(size, direction);
    lineCache.set(key, lines);
  }
  return lines;
}

/**
 * The board after sliding every tile towards `direction`: zeros squeezed out, then each pair of
 * equal neighbours merged once, scanning from the destination edge (GEM's `_merge_line`).
 */
export function slide(board: readonly number[], size: number, direction: Direction): number[] {
  const next = new Array<number>(board.length).fill(0);
  const values: number[] = [];
  for (const line of cachedLines(size, direction)) {
    values.length = 0;
    for (const index of line) if (board[index] !== 0) values.push(board[index]);
    let out = 0;
    for (let i = 0; i < values.length; i++) {
      if (i + 1 < values.length && values[i] === values[i + 1]) {
        next[line[out++]] = values[i] * 2;
        i++;
      } else {
        next[line[out++]] = values[i];
      }
    }
  }
  return next;
}

export function sameBoard(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when no direction changes the board (GEM's `_is_game_over`). */
export function noMovesLeft(board: readonly number[], size: number): boolean {
  return DIRECTIONS.every((direction) => sameBoard(slide(board, size, direction), board));
}

export function maxTile(board: readonly number[]): number {
  let max = 0;
  for (const value of board) if (value > max) max = value;
  return max;
}

/** `Current board:` body: `   .` for empty cells, else `f"{v:4d}"`, cells joined by a space. */
export function renderBoard(board: readonly number[], size: number): string {
  const rows: string[] = [];
  for (let r = 0; r < size; r++) {
    const cells: string[] = [];
    for (let c = 0; c < size; c++) {
      const value = board[r * size + c];
      cells.push(value === 0 ? '   .' : String(value).padStart(4, ' '));
    }
    rows.push(cells.join(' '));
  }
  return rows.join('\n');
}
