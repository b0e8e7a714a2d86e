import { parseOrThrow } from '@rock/contracts';
import { z } from 'zod';
import type { EnvRegistration } from '../../core/env';
import { TowerOfHanoiEnv } from './tower-of-hanoi.env';

export { TowerOfHanoiEnv } from './tower-of-hanoi.env';

const ENTRY = 'game:TowerofHanoi-v0';

/** Constructor kwargs as GEM names them; unknown keys are ignored like Python's `**_`. */
const kwargsSchema = z.object({
  num_disks: z.number().int('must be an integer').min(1, 'must be between 1 and 30').max(30, 'must be between 1 and 30').nullable(),
  max_turns: z.number().int('must be an integer').min(1, 'must be an integer >= 1').nullable(),
});

function create(kwargs: Record<string, unknown>): TowerOfHanoiEnv {
  const k = parseOrThrow(kwargsSchema, kwargs);
  return new TowerOfHanoiEnv({ numDisks: k.num_disks, maxTurns: k.max_turns });
}

function variant(suffix: string, disks: number | null, turns: number | null): EnvRegistration {
  return { id: `${ENTRY}-${suffix}`, kwargs: { num_disks: disks, max_turns: turns }, create };
}

/** GEM registry entries (GEM.md §1.6); note GEM's lower-case "of" in the id. */
export const registrations: EnvRegistration[] = [variant('easy', 3, 10), variant('hard', 5, 35), variant('random', null, null)];
