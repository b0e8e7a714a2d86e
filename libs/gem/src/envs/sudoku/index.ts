import { parseOrThrow } from '@rock/contracts';
import { z } from 'zod';
import type { EnvRegistration } from '../../core/env';
import { SudokuEnv } from './sudoku.env';

export { SampleActionUnsupportedError, SudokuEnv, parseSudokuMove } from './sudoku.env';

const ENTRY = 'game:Sudoku-v0';

/** Constructor kwargs as GEM names them; unknown keys are ignored like Python's `**_`. */
const kwargsSchema = z
  .object({
    clues: z.number().int('must be an integer').min(0, 'must be an integer >= 0').nullable(),
    max_turns: z.number().int('must be an integer').min(1, 'must be an integer >= 1').nullable(),
    scale: z.union([z.literal(4), z.literal(9)], 'must be 4 or 9').nullable(),
  })
  .refine((k) => k.clues === null || k.scale === null || k.clues <= k.scale * k.scale, {
    message: 'must be at most scale² (the number of cells)',
    path: ['clues'],
  });

function create(kwargs: Record<string, unknown>): SudokuEnv {
  const parsed = parseOrThrow(kwargsSchema, kwargs);
  return new SudokuEnv({ scale: parsed.scale, clues: parsed.clues, maxTurns: parsed.max_turns });
}

function variant(suffix: string, clues: number | null, maxTurns: number | null, scale: number | null): EnvRegistration {
  return { id: `${ENTRY}-${suffix}`, kwargs: { clues, max_turns: maxTurns, scale }, create };
}

/** GEM registry entries for Sudoku (GEM.md §1.6), in registration order. */
export const registrations: EnvRegistration[] = [
  variant('easy', 10, 15, 4),
  variant('hard', 50, 50, 9),
  variant('random', null, null, null),
];
