import { parseOrThrow } from '@rock/contracts';
import { z } from 'zod';
import type { EnvRegistration } from '../../core/env';
import { Game2048Env } from './game2048.env';

export { Game2048Env, parseMove } from './game2048.env';

const ENTRY = 'game:Game2048-v0';

/** Constructor kwargs as GEM names them; unknown keys are ignored like Python's `**_`. */
const kwargsSchema = z.object({
  target_tile: z.number().int('must be an integer').min(2, 'must be an integer >= 2').nullable(),
  max_turns: z.number().int('must be an integer').min(1, 'must be an integer >= 1').nullable(),
  board_size: z
    .number()
    .int('must be an integer')
    .min(2, 'must be between 2 and 10')
    .max(10, 'must be between 2 and 10')
    .default(4),
});

function create(kwargs: Record<string, unknown>): Game2048Env {
  const parsed = parseOrThrow(kwargsSchema, kwargs);
  return new Game2048Env({ targetTile: parsed.target_tile, maxTurns: parsed.max_turns, boardSize: parsed.board_size });
}

function variant(suffix: string, targetTile: number | null, maxTurns: number | null): EnvRegistration {
  return { id: `${ENTRY}-${suffix}`, kwargs: { target_tile: targetTile, max_turns: maxTurns }, create };
}

/** GEM registry entries for 2048 (GEM.md §1.6), in registration order. */
export const registrations: EnvRegistration[] = [
  variant('easy', 64, 50),
  variant('hard', 512, 50),
  variant('extreme-hard', 2048, 100),
  variant('random', null, null),
];
