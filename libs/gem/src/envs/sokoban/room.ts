/**
 * Sokoban room layout: cell codes, the random-walk topology and the player/target placement of
 * GEM's level generator (GEM.md §2.10 steps 1–3). Rooms are row-major `Uint8Array`s of `h*w` cells.
 */

/** Cell codes, as in GEM / gym-sokoban. */
export const WALL = 0;
export const FLOOR = 1;
export const TARGET = 2;
export const BOX_ON_TARGET = 3;
export const BOX = 4;
export const PLAYER = 5;

/** Board symbols indexed by cell code. */
export const CELL_SYMBOLS = ['#', '_', 'O', '√', 'X', 'P'] as const;

/** The level generator's random source: CPython `random.Random` (only `_randbelow`, `randint`, `random`). */
export interface TopologyRandom {
  randbelow(n: number): number;
  randint(a: number, b: number): number;
  random(): number;
}

/** The placement's random source: numpy `Generator.integers(n)`. */
export interface PlacementRandom {
  integers(high: number): number;
}

/** Room height (rows) and width (columns). */
export interface RoomDims {
  readonly h: number;
  readonly w: number;
}

const P_CHANGE_DIRECTION = 0.35;
/** Walk directions as (row, col) steps, in the generator's order. */
const DIRECTIONS: ReadonlyArray<readonly [number, number]> = [
  [1, 0],
  [0, 1],
  [-1, 0],
  [0, -1],
];
/** The five 3×3 floor masks, row-major: horizontal bar, vertical bar, L, 2×2 block, mirrored L. */
const MASKS: ReadonlyArray<readonly number[]> = [
  [0, 0, 0, 1, 1, 1, 0, 0, 0],
  [0, 1, 0, 0, 1, 0, 0, 1, 0],
  [0, 0, 0, 1, 1, 0, 0, 1, 0],
  [0, 0, 0, 1, 1, 0, 1, 1, 0],
  [0, 0, 0, 0, 1, 1, 0, 1, 0],
];

const clamp = (v: number, lo: number, hi: number): number => Math.max(Math.min(v, hi), lo);

/**
 * `room_topology_generation`: a random walk stamping masks of floor, then walls on the border.
 * `random.sample(seq, 1)[0]` is `seq[_randbelow(len(seq))]`, which is what is drawn here.
 */
export function generateTopology(rng: TopologyRandom, dims: RoomDims, numSteps: number): Uint8Array {
  const { h, w } = dims;
  const level = new Uint8Array(h * w);
  let dir = DIRECTIONS[rng.randbelow(DIRECTIONS.length)];
  // randint(1, dim - 1) can start on the far border; the first clamp pulls it back in.
  let row = rng.randint(1, h - 1);
  let col = rng.randint(1, w - 1);
  for (let s = 0; s < numSteps; s++) {
    if (rng.random() < P_CHANGE_DIRECTION) dir = DIRECTIONS[rng.randbelow(DIRECTIONS.length)];
    row = clamp(row + dir[0], 1, h - 2);
    col = clamp(col + dir[1], 1, w - 2);
    const mask = MASKS[rng.randbelow(MASKS.length)];
    for (let i = 0; i < 9; i++) {
      if (mask[i] !== 0) level[(row - 1 + Math.floor(i / 3)) * w + col - 1 + (i % 3)] = FLOOR;
    }
  }
  for (let c = 0; c < w; c++) level[c] = level[(h - 1) * w + c] = WALL;
  for (let r = 0; r < h; r++) level[r * w] = level[r * w + w - 1] = WALL;
  return level;
}

/** Row-major indices of the cells holding `code`, like `np.where(room == code)`. */
export function cellsWith(room: Uint8Array, code: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < room.length; i++) if (room[i] === code) out.push(i);
  return out;
}

/**
 * `place_boxes_and_player`: the player, then `numBoxes` targets, each on a uniformly drawn floor
 * cell. Returns false (a failed try) when there are at most `numBoxes + 1` floor cells.
 * Mutates `room`.
 */
export function placePlayerAndTargets(rng: PlacementRandom, room: Uint8Array, numBoxes: number): boolean {
  let floor = cellsWith(room, FLOOR);
  if (floor.length <= numBoxes + 1) return false;
  room[floor[rng.integers(floor.length)]] = PLAYER;
  for (let b = 0; b < numBoxes; b++) {
    floor = cellsWith(room, FLOOR);
    room[floor[rng.integers(floor.length)]] = TARGET;
  }
  return true;
}
