import { parseOrThrow } from '@rock/contracts';
import { z } from 'zod';
import type { EnvRegistration } from '../../core/env';
import { SokobanEnv } from './sokoban.env';

export { MOVES, SokobanEnv, parseMove, type Move, type SokobanOptions } from './sokoban.env';
export { LevelGenerationError, generateLevel, type SokobanLevel } from './level-generator';

const ENTRY = 'game:Sokoban-v0';
const MIN_SIDE = 4;
// Larger rooms leave the packed search keys (≤ 64 open cells) and can take seconds per level.
const MAX_SIDE = 10;
const MAX_BOXES = 10;

const side = z
  .number()
  .int('must be an integer')
  .min(MIN_SIDE, `must be between ${MIN_SIDE} and ${MAX_SIDE}`)
  .max(MAX_SIDE, `must be between ${MIN_SIDE} and ${MAX_SIDE}`);

/** Constructor kwargs as GEM names them; unknown keys (the random variant's `room_size`) are ignored like `**_`. */
const kwargsSchema = z
  .object({
  dim_room: z.tuple([side, side]).default([6, 6]),
  num_boxes: z
    .number()
    .int('must be an integer')
    .min(1, `must be between 1 and ${MAX_BOXES}`)
    .max(MAX_BOXES, `must be between 1 and ${MAX_BOXES}`)
    .nullable(),
  max_turns: z.number().int('must be an integer').min(1, 'must be an integer >= 1').nullable(),
  })
  // The walk only ever opens the interior; the player and every box need a floor cell of their own.
  .refine((k) => k.num_boxes === null || k.num_boxes + 1 < (k.dim_room[0] - 2) * (k.dim_room[1] - 2), {
    path: ['num_boxes'],
    message: 'must leave at least two interior cells free: num_boxes + 1 < (h - 2) * (w - 2)',
  });

function create(kwargs: Record<string, unknown>): SokobanEnv {
  const parsed = parseOrThrow(kwargsSchema, kwargs);
  const [h, w] = parsed.dim_room;
  return new SokobanEnv({ dims: { h, w }, numBoxes: parsed.num_boxes, maxTurns: parsed.max_turns });
}

/** GEM registry entries for Sokoban (GEM.md §1.6), in registration order. */
export const registrations: EnvRegistration[] = [
  { id: `${ENTRY}-easy`, kwargs: { dim_room: [6, 6], num_boxes: 2, max_turns: 20 }, create },
  { id: `${ENTRY}-hard`, kwargs: { dim_room: [8, 8], num_boxes: 4, max_turns: 50 }, create },
  { id: `${ENTRY}-random`, kwargs: { room_size: null, num_boxes: null, max_turns: null }, create },
];
