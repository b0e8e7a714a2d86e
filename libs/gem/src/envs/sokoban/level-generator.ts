/**
 * GEM's Sokoban level generator (GEM.md §2.10), ported for per-seed parity.
 *
 * Attempt `a` (0..49) uses `random.Random(seed + a)` for the topology and
 * `numpy.random.default_rng(seed + a)` for placement; within an attempt up to 1000 tries draw
 * from the same two streams. numpy calls used: `Generator.integers(n)` only.
 */
import { randomInt } from 'node:crypto';
import { RockError, ResultCode } from '@rock/contracts';
import { PyRandom, defaultRng } from '../../random';
import { isDeadlocked } from './deadlock';
import { BOX, BOX_ON_TARGET, FLOOR, PLAYER, TARGET, generateTopology, placePlayerAndTargets, type RoomDims } from './room';
import { reversePlay } from './reverse-play';

const TRIES_PER_ATTEMPT = 1000;
const MAX_ATTEMPTS = 50;

/** A generated level: the fixed room (walls, floor, targets) and the starting state. */
export interface SokobanLevel {
  /** Walls, floor and targets; the player's start is floor. GEM's `room_fixed`. */
  structure: Uint8Array;
  /** Structure plus the player (5) and the boxes (4). GEM's `room_state`. */
  state: Uint8Array;
}

/**
 * No attempt produced a level: the room is too small for its boxes (GEM raises RuntimeError).
 * Never happens for the registered sizes.
 */
export class LevelGenerationError extends RockError {
  constructor(
    readonly dims: RoomDims,
    readonly numBoxes: number,
    seed: number,
  ) {
    super(
      'gem_sokoban_generation_failed',
      ResultCode.BadRequest,
      400,
      `dim_room/num_boxes: no solvable ${dims.h}x${dims.w} level with ${numBoxes} boxes found for seed ${seed} after ${MAX_ATTEMPTS} attempts`,
    );
  }
}

/** `int(1.7 * (h + w))`: the random walk's length. */
export function walkSteps(dims: RoomDims): number {
  return Math.floor(1.7 * (dims.h + dims.w));
}

/**
 * Generates the level for `seed` exactly as GEM does. Without a seed the streams are seeded from
 * OS entropy, so the level is not reproducible (as in GEM).
 */
export function generateLevel(dims: RoomDims, numBoxes: number, seed?: number | null): SokobanLevel {
  const base = seed ?? randomInt(0, 2 ** 32);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const level = tryAttempt(dims, numBoxes, base + attempt);
    if (level) return level;
  }
  throw new LevelGenerationError(dims, numBoxes, base);
}

function tryAttempt(dims: RoomDims, numBoxes: number, seed: number): SokobanLevel | undefined {
  const topologyRng = new PyRandom(seed);
  const placementRng = defaultRng(seed);
  const steps = walkSteps(dims);
  for (let t = 0; t < TRIES_PER_ATTEMPT; t++) {
    const room = generateTopology(topologyRng, dims, steps);
    if (!placePlayerAndTargets(placementRng, room, numBoxes)) continue;
    const structure = room.map((v) => (v === PLAYER ? FLOOR : v));
    const start = room.map((v) => (v === TARGET ? BOX : v));
    if (isDeadlocked(start, structure, dims, numBoxes)) continue;
    const { state, score } = reversePlay(start, structure, dims);
    for (let i = 0; i < state.length; i++) if (state[i] === BOX_ON_TARGET) state[i] = BOX;
    if (score > 0 && !isDeadlocked(state, structure, dims, numBoxes)) return { structure, state };
  }
  return undefined;
}
