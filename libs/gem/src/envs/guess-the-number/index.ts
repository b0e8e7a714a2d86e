import { parseOrThrow } from '@rock/contracts';
import { z } from 'zod';
import type { EnvRegistration } from '../../core/env';
import { GuessTheNumberEnv } from './guess-the-number.env';

export { GuessTheNumberEnv } from './guess-the-number.env';

const ENTRY = 'game:GuessTheNumber-v0';
const int = (min: number): z.ZodNullable<z.ZodNumber> =>
  z.number().int('must be an integer').min(min, `must be an integer >= ${min}`).max(1e9, 'must be <= 1000000000').nullable();

/** Constructor kwargs as GEM names them; unknown keys are ignored like Python's `**_`. */
const kwargsSchema = z
  .object({ min_number: int(-1e9), max_number: int(-1e9), max_turns: int(1) })
  .refine((k) => k.min_number === null || k.max_number === null || k.min_number < k.max_number, {
    message: 'must be greater than min_number',
    path: ['max_number'],
  });

function create(kwargs: Record<string, unknown>): GuessTheNumberEnv {
  const k = parseOrThrow(kwargsSchema, kwargs);
  return new GuessTheNumberEnv({ minNumber: k.min_number, maxNumber: k.max_number, maxTurns: k.max_turns });
}

function variant(suffix: string, min: number | null, max: number | null, turns: number | null): EnvRegistration {
  return { id: `${ENTRY}-${suffix}`, kwargs: { min_number: min, max_number: max, max_turns: turns }, create };
}

/** GEM registry entries (GEM.md §1.6). `game:GuessTheNumber-v0` itself is not registered. */
export const registrations: EnvRegistration[] = [variant('easy', 1, 10, 4), variant('hard', 1, 50, 7), variant('random', null, null, null)];
