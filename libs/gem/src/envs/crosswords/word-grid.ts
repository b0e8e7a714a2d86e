import { pyRound } from '../../data/python-text';
import type { PyRandom } from '../../random';

/**
 * The word-placement generator GEM's Crosswords and WordSearch share (GEM.md §2.11–2.12),
 * ported step for step so the same RNG draws give the same grid. Cells hold one character,
 * `.` when empty.
 */

export type Direction = 'across' | 'down';
export type Grid = string[][];

/** Where a word was placed: its first cell and direction. */
export interface Placement {
  row: number;
  col: number;
  direction: Direction;
}

const EMPTY = '.';

/** `round(1.5 · longest)` (banker's rounding), the side of the square grid. */
export function gridSizeFor(words: readonly string[]): number {
  return pyRound(Math.max(...words.map((w) => w.length)) * 1.5);
}

/** Whether `word` fits at (row, col) without leaving the grid or clashing with a different letter. */
export function canPlace(grid: Grid, word: string, direction: Direction, row: number, col: number): boolean {
  const across = direction === 'across';
  if ((across ? col : row) + word.length > (across ? grid[0].length : grid.length)) return false;
  for (let i = 0; i < word.length; i++) {
    const cell = across ? grid[row][col + i] : grid[row + i][col];
    if (cell !== EMPTY && cell !== word[i]) return false;
  }
  return true;
}

function place(grid: Grid, word: string, at: Placement): void {
  for (let i = 0; i < word.length; i++) {
    if (at.direction === 'across') grid[at.row][at.col + i] = word[i];
    else grid[at.row + i][at.col] = word[i];
  }
}

/**
 * Every start position where `word` (in its own direction) crosses an equal letter of an already
 * placed word of the other direction and starts inside the grid, in GEM's loop order. Crosswords
 * also drops positions where the word does not fit (`prefilter`); WordSearch keeps them.
 */
function findOverlaps(
  grid: Grid,
  word: string,
  direction: Direction,
  placed: ReadonlyMap<string, Placement>,
  prefilter: boolean,
): Placement[] {
  const size = grid.length;
  const overlaps: Placement[] = [];
  for (const [other, at] of placed) {
    if (at.direction === direction) continue;
    for (let i = 0; i < word.length; i++) {
      for (let j = 0; j < other.length; j++) {
        if (word[i] !== other[j]) continue;
        const row = at.direction === 'across' ? at.row - i : at.row + j;
        const col = at.direction === 'across' ? at.col + j : at.col - i;
        if (row < 0 || row >= size || col < 0 || col >= grid[0].length) continue;
        if (prefilter && !canPlace(grid, word, direction, row, col)) continue;
        overlaps.push({ row, col, direction });
      }
    }
  }
  return overlaps;
}

function firstFreeSpot(grid: Grid, word: string, direction: Direction): Placement | undefined {
  for (let row = 0; row < grid.length; row++) {
    for (let col = 0; col < grid.length; col++) {
      if (canPlace(grid, word, direction, row, col)) return { row, col, direction };
    }
  }
  return undefined;
}

function centre(size: number, word: string, direction: Direction): Placement {
  const along = Math.floor((size - word.length) / 2);
  const middle = Math.floor(size / 2);
  return direction === 'across' ? { row: middle, col: along, direction } : { row: along, col: middle, direction };
}

/**
 * Places `words` (already sorted longest first) on a new grid. The first word goes in the centre;
 * each later one tries its shuffled overlap positions, then the first free spot in row-major order.
 * Words that fit nowhere are left out. Returns the grid and the placements in insertion order
 * (a Map, like GEM's dict: a repeated word keeps its first position in the order).
 */
export function placeWords(
  rng: PyRandom,
  words: readonly string[],
  directions: ReadonlyMap<string, Direction>,
  prefilter: boolean,
): { grid: Grid; placed: Map<string, Placement> } {
  const size = gridSizeFor(words);
  const grid: Grid = Array.from({ length: size }, () => new Array<string>(size).fill(EMPTY));
  const placed = new Map<string, Placement>();
  for (const word of words) {
    const direction = directions.get(word) as Direction;
    let spot: Placement | undefined;
    if (placed.size === 0) {
      const c = centre(size, word, direction);
      if (canPlace(grid, word, direction, c.row, c.col)) spot = c;
    } else {
      const options = findOverlaps(grid, word, direction, placed, prefilter);
      rng.shuffle(options);
      spot = options.find((o) => canPlace(grid, word, o.direction, o.row, o.col));
    }
    spot ??= firstFreeSpot(grid, word, direction);
    if (spot === undefined) continue;
    place(grid, word, spot);
    placed.set(word, spot);
  }
  return { grid, placed };
}

/**
 * GEM's episode layout for both games: `sample` up to `count` records, order them longest word
 * first (stable), draw each word's direction in that order, then `placeWords`. Returns the records
 * in that order with the grid and placements (keyed by `wordOf(record)`).
 */
export function sampleAndPlace<T>(
  rng: PyRandom,
  records: readonly T[],
  count: number,
  wordOf: (record: T) => string,
  prefilter: boolean,
): { ordered: T[]; grid: Grid; placed: Map<string, Placement> } {
  const sampled = rng.sample(records, Math.min(count, records.length)).map((record, i) => ({ record, word: wordOf(record), i }));
  const ordered = sampled.sort((a, b) => b.word.length - a.word.length || a.i - b.i);
  const directions = new Map<string, Direction>();
  for (const { word } of ordered) directions.set(word, rng.choice<Direction>(['across', 'down']));
  const { grid, placed } = placeWords(
    rng,
    ordered.map(({ word }) => word),
    directions,
    prefilter,
  );
  return { ordered: ordered.map(({ record }) => record), grid, placed };
}

/** The header and row lines shared by both games' boards; `cell` renders one cell (4 characters). */
export function renderGrid(size: number, cell: (row: number, col: number) => string): string {
  const label = (n: number): string => String(n).padStart(2, '0');
  const lines = [`   ${Array.from({ length: size }, (_, i) => `C${label(i)}`).join(' ')}`];
  for (let r = 0; r < size; r++) {
    let line = `R${label(r)} `;
    for (let c = 0; c < size; c++) line += cell(r, c);
    lines.push(line);
  }
  return lines.join('\n');
}
