/**
 * GEM's deadlock tests for generated levels (GEM.md §2.10 steps 4 and 6), bugs included:
 * the corner rule is asymmetric and the "frozen" test never checks real reachability.
 */
import { BOX, BOX_ON_TARGET, FLOOR, PLAYER, TARGET, WALL, type RoomDims } from './room';

/** up, down, left, right as (row, col) steps. */
const SIDES: ReadonlyArray<readonly [number, number]> = [
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
];

const isBox = (v: number): boolean => v === BOX || v === BOX_ON_TARGET;
const isOpen = (v: number): boolean => v === FLOOR || v === TARGET;

/**
 * Corner test for every box not standing on a target (per `structure`): it counts walls or
 * out-of-bounds cells in the order up, down, left, right. Three or more is a deadlock; exactly two
 * is one when their index difference is 1 or 3 (so up+left and down+right slip through).
 */
export function hasCornerDeadlock(state: Uint8Array, structure: Uint8Array, dims: RoomDims): boolean {
  const { h, w } = dims;
  for (let cell = 0; cell < state.length; cell++) {
    if (!isBox(state[cell]) || structure[cell] === TARGET) continue;
    const r = Math.floor(cell / w);
    const c = cell % w;
    const blocked: number[] = [];
    SIDES.forEach(([dr, dc], i) => {
      const nr = r + dr;
      const nc = c + dc;
      if (nr < 0 || nr >= h || nc < 0 || nc >= w || state[nr * w + nc] === WALL) blocked.push(i);
    });
    if (blocked.length >= 3) return true;
    if (blocked.length === 2) {
      const diff = blocked[1] - blocked[0];
      if (diff === 1 || diff === 3) return true;
    }
  }
  return false;
}

/**
 * "Frozen" test (only with two or more boxes): a box can move in direction d when `b+d` is in
 * bounds and open (floor or target) and the push cell `b-d` is in bounds and open or the player.
 * Any box that cannot move in any direction is a deadlock.
 */
export function hasFrozenBox(state: Uint8Array, dims: RoomDims, numBoxes: number): boolean {
  if (numBoxes < 2) return false;
  const { h, w } = dims;
  const inBounds = (r: number, c: number): boolean => r >= 0 && r < h && c >= 0 && c < w;
  for (let cell = 0; cell < state.length; cell++) {
    if (!isBox(state[cell])) continue;
    const r = Math.floor(cell / w);
    const c = cell % w;
    const movable = SIDES.some(([dr, dc]) => {
      if (!inBounds(r + dr, c + dc) || !inBounds(r - dr, c - dc)) return false;
      const push = state[(r - dr) * w + c - dc];
      return isOpen(state[(r + dr) * w + c + dc]) && (isOpen(push) || push === PLAYER);
    });
    if (!movable) return true;
  }
  return false;
}

/** The generator's full deadlock test: corner test, then frozen test. */
export function isDeadlocked(state: Uint8Array, structure: Uint8Array, dims: RoomDims, numBoxes: number): boolean {
  return hasCornerDeadlock(state, structure, dims) || hasFrozenBox(state, dims, numBoxes);
}
