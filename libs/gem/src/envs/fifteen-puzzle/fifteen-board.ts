/**
 * Sliding-puzzle board mechanics (GEM.md §2.6) on a flat row-major array; `null` is the blank.
 * Moves name the tile that slides INTO the blank, so the blank travels the opposite way.
 */
import type { PyRandom } from '../../random';

export type Tile = number | null;
export const MOVES = ['up', 'down', 'left', 'right'] as const;
export type Move = (typeof MOVES)[number];

const OPPOSITE: Record<Move, Move> = { up: 'down', down: 'up', left: 'right', right: 'left' };

/** 1..n²-1 in row-major order with the blank last. */
export function goalBoard(rows: number): Tile[] {
  const tiles: Tile[] = [];
  for (let t = 1; t < rows * rows; t++) tiles.push(t);
  tiles.push(null);
  return tiles;
}

/** Index the blank would swap with for `move`, or -1 when the move leaves the board. */
export function moveTarget(blank: number, rows: number, move: Move): number {
  const row = Math.floor(blank / rows);
  const col = blank % rows;
  if (move === 'up') return row < rows - 1 ? blank + rows : -1;
  if (move === 'down') return row > 0 ? blank - rows : -1;
  if (move === 'left') return col < rows - 1 ? blank + 1 : -1;
  return col > 0 ? blank - 1 : -1;
}

/** Applies `move` in place; false (board untouched) when it is outside the board. */
export function applyMove(board: Tile[], rows: number, move: Move): boolean {
  const blank = board.indexOf(null);
  const target = moveTarget(blank, rows, move);
  if (target < 0) return false;
  board[blank] = board[target];
  board[target] = null;
  return true;
}

/**
 * GEM HEAD's `monte_carlo` start: from the goal, `randomMoves` blank moves, each a `choice` over the
 * legal moves in [up, down, left, right] order minus the reverse of the previous move.
 */
export function monteCarloBoard(rows: number, randomMoves: number, rng: PyRandom): Tile[] {
  const board = goalBoard(rows);
  let last: Move | null = null;
  const legal: Move[] = [];
  for (let i = 0; i < randomMoves; i++) {
    const blank = board.indexOf(null);
    legal.length = 0;
    for (const move of MOVES) {
      if ((last === null || move !== OPPOSITE[last]) && moveTarget(blank, rows, move) >= 0) legal.push(move);
    }
    last = rng.choice(legal);
    applyMove(board, rows, last);
  }
  return board;
}

/** Parity of the permutation (counted by selection swaps) plus the blank's distance from the top-left. */
export function boardParity(board: readonly Tile[], rows: number): number {
  const tiles = board.slice();
  let swaps = 0;
  for (let i = 0; i < tiles.length - 1; i++) {
    const at = tiles.indexOf(i + 1);
    if (at === i) continue;
    tiles[at] = tiles[i];
    tiles[i] = i + 1;
    swaps++;
  }
  const blank = board.indexOf(null);
  return (swaps + Math.floor(blank / rows) + (blank % rows)) % 2;
}

/**
 * GEM HEAD's `pure_random` start: shuffle every tile (blank included); when the parity differs from the
 * goal's, swap two tiles drawn with `sample` from the non-blank tiles in shuffled order.
 */
export function pureRandomBoard(rows: number, rng: PyRandom): Tile[] {
  const goal = goalBoard(rows);
  const tiles = goal.slice();
  rng.shuffle(tiles);
  if (boardParity(tiles, rows) !== boardParity(goal, rows)) {
    const [a, b] = rng.sample(
      tiles.filter((t) => t !== null),
      2,
    );
    const ia = tiles.indexOf(a);
    const ib = tiles.indexOf(b);
    tiles[ia] = b;
    tiles[ib] = a;
  }
  return tiles;
}

export function isGoal(board: readonly Tile[]): boolean {
  for (let i = 0; i < board.length - 1; i++) if (board[i] !== i + 1) return false;
  return board[board.length - 1] === null;
}

/**
 * Truncation bonus: `1/n²` per tile (blank included) already in its goal cell, summed as floats in
 * row-major order exactly like GEM's `_get_soft_reward`.
 */
export function softReward(board: readonly Tile[]): number {
  const share = 1 / board.length;
  let reward = 0;
  for (let i = 0; i < board.length; i++) {
    const expected = i === board.length - 1 ? null : i + 1;
    if (board[i] === expected) reward += share;
  }
  return reward;
}

/** Each row: `__` for the blank, else `f"{x:2}"`, space-joined, each followed by `\n`. */
export function renderBoard(board: readonly Tile[], rows: number): string {
  let out = '';
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < rows; c++) {
      const tile = board[r * rows + c];
      cells.push(tile === null ? '__' : String(tile).padStart(2, ' '));
    }
    out += `${cells.join(' ')}\n`;
  }
  return out;
}
