import { parseOrThrow } from '@rock/contracts';
import { z } from 'zod';
import type { EnvRegistration } from '../../core/env';
import { MastermindEnv } from './mastermind.env';

export { MastermindEnv, scorePegs } from './mastermind.env';

const ENTRY = 'game:Mastermind-v0';

/** Constructor kwargs as GEM names them; unknown keys are ignored like Python's `**_`. */
const kwargsSchema = z
  .object({
    code_length: z.number().int('must be an integer').min(1, 'must be between 1 and 20').max(20, 'must be between 1 and 20').nullable(),
    num_numbers: z.number().int('must be an integer').min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').nullable(),
    max_turns: z.number().int('must be an integer').min(1, 'must be an integer >= 1').nullable(),
    duplicate_numbers: z.boolean('must be a boolean').default(false),
  })
  .refine((k) => k.duplicate_numbers || k.code_length === null || k.num_numbers === null || k.code_length <= k.num_numbers, {
    message: 'must be <= num_numbers when duplicate_numbers is false',
    path: ['code_length'],
  });

function create(kwargs: Record<string, unknown>): MastermindEnv {
  const k = parseOrThrow(kwargsSchema, kwargs);
  return new MastermindEnv({
    codeLength: k.code_length,
    numNumbers: k.num_numbers,
    maxTurns: k.max_turns,
    duplicateNumbers: k.duplicate_numbers,
  });
}

function variant(suffix: string, length: number | null, numbers: number | null, turns: number | null): EnvRegistration {
  return {
    id: `${ENTRY}-${suffix}`,
    kwargs: { code_length: length, num_numbers: numbers, max_turns: turns, duplicate_numbers: false },
    create,
  };
}

/** GEM registry entries (GEM.md §1.6), always without duplicate numbers. */
export const registrations: EnvRegistration[] = [variant('easy', 2, 6, 10), variant('hard', 4, 8, 30), variant('random', null, null, null)];
