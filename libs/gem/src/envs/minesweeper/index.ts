import { parseOrThrow } from '@rock/contracts';
import { z } from 'zod';
import type { EnvRegistration } from '../../core/env';
import { MinesweeperEnv } from './minesweeper.env';

export { MinesweeperEnv } from './minesweeper.env';
export { MinesweeperBoard } from './minesweeper-board';

const ENTRY = 'game:Minesweeper-v0';
const side = z.number().int('must be an integer').min(1, 'must be between 1 and 50').max(50, 'must be between 1 and 50').nullable();

/** Constructor kwargs as GEM names them; unknown keys are ignored like Python's `**_`. */
const kwargsSchema = z
  .object({
    rows: side,
    cols: side,
    num_mines: z.number().int('must be an integer').min(0, 'must be an integer >= 0').nullable(),
    max_turns: z.number().int('must be an integer').min(1, 'must be an integer >= 1').nullable(),
  })
  .refine((k) => k.rows === null || k.cols === null || k.num_mines === null || k.num_mines <= placeable(k.rows, k.cols), {
    message: 'must leave room outside the 3x3 block around the first reveal (at most rows*cols - 9)',
    path: ['num_mines'],
  });

/** Cells guaranteed to lie outside any 3×3 block, so mine placement always terminates. */
function placeable(rows: number, cols: number): number {
  return rows * cols - Math.min(rows, 3) * Math.min(cols, 3);
}

function create(kwargs: Record<string, unknown>): MinesweeperEnv {
  const k = parseOrThrow(kwargsSchema, kwargs);
  return new MinesweeperEnv({ rows: k.rows, cols: k.cols, numMines: k.num_mines, maxTurns: k.max_turns });
}

function variant(suffix: string, size: number | null, mines: number | null, turns: number | null): EnvRegistration {
  return { id: `${ENTRY}-${suffix}`, kwargs: { rows: size, cols: size, num_mines: mines, max_turns: turns }, create };
}

/** GEM registry entries (GEM.md §1.6). */
export const registrations: EnvRegistration[] = [variant('easy', 5, 5, 25), variant('hard', 8, 12, 64), variant('random', null, null, null)];
