import { randomInt } from 'node:crypto';
import type { Env, Info, ResetResult, StepResult } from '../../core/env';
import { PyRandom, PyRandomError } from '../../random';
import { generateLevel } from './level-generator';
import { BOX, BOX_ON_TARGET, CELL_SYMBOLS, FLOOR, PLAYER, TARGET, WALL, type RoomDims } from './room';

/** Resolved constructor options; `null` boxes or turns makes the env pick a variant on each reset. */
export interface SokobanOptions {
  dims: RoomDims;
  numBoxes: number | null;
  maxTurns: number | null;
}

type Variant = readonly [dims: RoomDims, numBoxes: number, maxTurns: number];

/** `-random` picks one of these with the global stream (note: 5 boxes, where `-hard` has 4). */
const RANDOM_VARIANTS: readonly Variant[] = [
  [{ h: 6, w: 6 }, 2, 20],
  [{ h: 8, w: 8 }, 5, 50],
];
export const MOVES = ['up', 'down', 'left', 'right'] as const;
export type Move = (typeof MOVES)[number];
/** (row, col) step per move. */
const MOVE_STEPS: Readonly<Record<Move, readonly [number, number]>> = {
  up: [-1, 0],
  down: [1, 0],
  left: [0, -1],
  right: [0, 1],
};
const FORMAT_ERROR_REWARD = -0.1;
const MAX_SEED = 2 ** 32 - 1;

/**
 * GEM's `\\boxed\{(up|down|left|right)\}` under Python `re.IGNORECASE`. Python also folds `ı`
 * (U+0131) and `İ` (U+0130) onto `i`, so `\boxed{rıght}` is the last match there too; GEM then
 * raises. Here such a match is answered as a format error (see `parseMove`).
 */
const ACTION_PATTERN = /\\boxed\{(up|down|left|r[iı\u0130]ght)\}/gi;

/**
 * The move named by the last `\boxed{…}` match, or null when there is none or the last match is
 * a dotless/dotted-i spelling of `right` (the reference crashes on those).
 */
export function parseMove(action: string): Move | null {
  let last: string | null = null;
  ACTION_PATTERN.lastIndex = 0;
  for (let m = ACTION_PATTERN.exec(action); m !== null; m = ACTION_PATTERN.exec(action)) last = m[1];
  const move = last?.toLowerCase();
  return (MOVES as readonly string[]).includes(move ?? '') ? (move as Move) : null;
}

/** Thrown for a seed GEM would reject (`np.random.seed` accepts only [0, 2^32-1]). */
export class InvalidSeedError extends PyRandomError {
  constructor(seed: unknown) {
    super('ValueError', `seed: must be an integer between 0 and 2**32 - 1, got ${String(seed)}`);
  }
}

/** GEM `SokobanEnv` (GEM.md §2.10): push every box onto a target within `maxTurns`. */
export class SokobanEnv implements Env {
  envId = '';
  private readonly rng = new PyRandom(randomInt(0, 2 ** 32));
  private readonly isRandom: boolean;
  private dims: RoomDims;
  private numBoxes: number;
  private maxTurns: number;
  // GEM's constructor runs an unseeded reset; here that level is generated on first use instead,
  // so `make` stays cheap. Unseeded levels are not reproducible either way.
  private structure: Uint8Array = new Uint8Array(0);
  private state: Uint8Array = new Uint8Array(0);
  private turnCount = 0;
  private exampleMove: Move = 'up';

  constructor(options: SokobanOptions) {
    this.isRandom = options.numBoxes === null || options.maxTurns === null;
    this.dims = options.dims;
    this.numBoxes = options.numBoxes ?? 0;
    this.maxTurns = options.maxTurns ?? 0;
  }

  reset(seed?: number | null): ResetResult {
    if (seed !== undefined && seed !== null) {
      if (!Number.isSafeInteger(seed) || seed < 0 || seed > MAX_SEED) throw new InvalidSeedError(seed);
      this.rng.seed(seed);
    }
    if (this.isRandom) [this.dims, this.numBoxes, this.maxTurns] = this.rng.choice(RANDOM_VARIANTS);
    const level = generateLevel(this.dims, this.numBoxes, seed);
    this.structure = level.structure;
    this.state = level.state;
    this.turnCount = 0;
    this.exampleMove = this.rng.choice(MOVES);
    return [this.instructions(), this.info()];
  }

  step(action: string): StepResult {
    if (this.state.length === 0) this.reset();
    this.turnCount += 1;
    const move = parseMove(action);
    if (move === null) {
      const text = `At turn ${this.turnCount}, your submitted action is not valid.`;
      return [text, FORMAT_ERROR_REWARD, true, this.turnCount === this.maxTurns, this.info()];
    }
    const outcome = this.applyMove(move);
    const text =
      outcome === 'blocked'
        ? `At turn ${this.turnCount}, you cannot move ${move} - you would collide with wall or other boxes!`
        : `At turn ${this.turnCount}, you ${outcome === 'pushed' ? 'pushed a box while you ' : ''}moved ${move}.`;
    const onTarget = this.boxesOnTarget();
    if (onTarget === this.numBoxes) {
      return ['Congratulations! You have solved the Sokoban puzzle!', 1.0, true, false, this.info()];
    }
    if (this.turnCount >= this.maxTurns) {
      return ['You have reached the maximum number of turns.', onTarget / this.numBoxes, true, true, this.info()];
    }
    return [text, 0, false, false, this.info()];
  }

  sampleRandomAction(): string {
    return `\\boxed{${this.rng.choice(MOVES)}}`;
  }

  /** Walks or pushes; the vacated cell is restored from the fixed room so targets reappear. */
  private applyMove(move: Move): 'blocked' | 'moved' | 'pushed' {
    const [dr, dc] = MOVE_STEPS[move];
    const player = this.state.indexOf(PLAYER);
    const next = this.neighbour(player, dr, dc);
    if (next < 0 || this.state[next] === WALL) return 'blocked';
    const pushing = this.state[next] === BOX || this.state[next] === BOX_ON_TARGET;
    if (pushing) {
      const beyond = this.neighbour(next, dr, dc);
      if (beyond < 0 || (this.state[beyond] !== FLOOR && this.state[beyond] !== TARGET)) return 'blocked';
      this.state[beyond] = this.structure[beyond] === TARGET ? BOX_ON_TARGET : BOX;
    }
    this.state[next] = PLAYER;
    this.state[player] = this.structure[player];
    return pushing ? 'pushed' : 'moved';
  }

  /** Index of the cell (dr, dc) away from `cell`, or -1 when that is off the board. */
  private neighbour(cell: number, dr: number, dc: number): number {
    const { h, w } = this.dims;
    const r = Math.floor(cell / w) + dr;
    const c = (cell % w) + dc;
    return r < 0 || r >= h || c < 0 || c >= w ? -1 : r * w + c;
  }

  private boxesOnTarget(): number {
    let n = 0;
    for (const v of this.state) if (v === BOX_ON_TARGET) n++;
    return n;
  }

  private instructions(): string {
    return (
      'You are solving the Sokoban puzzle. You are the player and you need to push all boxes to targets.\n' +
      'When you are right next to a box, you can push it by moving in the same direction.\n' +
      'You cannot push a box through a wall or another box, and you cannot pull a box.\n' +
      `you have to complete the puzzle within ${this.maxTurns} turns.\n` +
      'On the board, objects are represented as:\n' +
      "- The player (you) appears as 'P'\n" +
      "- Walls are represented with '#'\n" +
      "- Boxes are marked as 'X'\n" +
      "- Empty goals are shown with 'O'\n" +
      "- Boxes on goals are visualized with '√'\n" +
      "- Empty floor is shown as '_'\n\n" +
      'To submit your move, type the command in \\boxed{}.\n' +
      `For example: \\boxed{${this.exampleMove}} to move ${this.exampleMove}.\n` +
      'Use logic and deduction to push all boxes onto the target positions!'
    );
  }

  private info(): Info {
    return { suffix: `Here is the current board layout:\n${this.renderBoard()}\nEnter your move.` };
  }

  private renderBoard(): string {
    const { h, w } = this.dims;
    let out = '';
    for (let r = 0; r < h; r++) {
      const row: string[] = [];
      for (let c = 0; c < w; c++) row.push(CELL_SYMBOLS[this.state[r * w + c]]);
      out += `${row.join(' ')}\n`;
    }
    return out;
  }
}
