import { parseOrThrow } from '@rock/contracts';
import { z } from 'zod';
import type { EnvRegistration } from '../../core/env';
import { FifteenPuzzleEnv } from './fifteen-puzzle.env';

export { FifteenPuzzleEnv, parseMove } from './fifteen-puzzle.env';

const ENTRY = 'game:FifteenPuzzle-v0';

/** Constructor kwargs as GEM names them; unknown keys are ignored like Python's `**_`. */
const kwargsSchema = z.object({
  num_rows: z
    .number()
    .int('must be an integer')
    .min(2, 'must be between 2 and 10')
    .max(10, 'must be between 2 and 10')
    .nullable(),
  max_turns: z.number().int('must be an integer').min(1, 'must be an integer >= 1').nullable(),
  init_algo: z.enum(['monte_carlo', 'pure_random'], "must be 'monte_carlo' or 'pure_random'").default('monte_carlo'),
  mc_rand_moves: z
    .number()
    .int('must be an integer')
    .min(1, 'must be between 1 and 100000')
    .max(100_000, 'must be between 1 and 100000')
    .default(100),
});

function create(kwargs: Record<string, unknown>): FifteenPuzzleEnv {
  const parsed = parseOrThrow(kwargsSchema, kwargs);
  return new FifteenPuzzleEnv({
    numRows: parsed.num_rows,
    maxTurns: parsed.max_turns,
    initAlgo: parsed.init_algo,
    mcRandMoves: parsed.mc_rand_moves,
  });
}

function variant(suffix: string, numRows: number | null, maxTurns: number | null): EnvRegistration {
  return { id: `${ENTRY}-${suffix}`, kwargs: { num_rows: numRows, max_turns: maxTurns }, create };
}

/**
 * GEM registry entries for the sliding puzzle (GEM.md §1.6), in registration order. `-random` works
 * here although GEM's constructor crashes on it (documented divergence).
 */
export const registrations: EnvRegistration[] = [
  variant('random', null, null),
  variant('easy', 2, 10),
  variant('hard', 4, 50),
];
