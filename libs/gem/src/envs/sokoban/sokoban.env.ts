import type { Info, ResetResult, StepResult } from '../../core/env';
import { lastMatch, pyRegex } from '../../core/pyre';
import { TextGameEnv, type MoveOutcome } from '../../core/text-game';
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

const ACTION_PATTERN = pyRegex(String.raw`\\boxed\{(up|down|left|right)\}`, { ignoreCase: true });

/**
 * The move named by the last `\boxed{…}` match (case-insensitive), or null for a format error.
 * Python's IGNORECASE also lets `ı`/`İ` stand for `i`, so `\boxed{rıght}` can be the last match;
 * GEM then raises on the unknown move. ROCK answers that case as a format error instead.
 */
export function parseMove(action: string): Move | null {
  const move = lastMatch(ACTION_PATTERN, action)?.[1].toLowerCase();
  return move !== undefined && (MOVES as readonly string[]).includes(move) ? (move as Move) : null;
}

/** GEM `SokobanEnv` (GEM.md §2.10): push every box onto a target within `maxTurns`. */
export class SokobanEnv extends TextGameEnv<Move> {
  private readonly isRandom: boolean;
  private dims: RoomDims;
  private numBoxes: number;
  // GEM's constructor runs an unseeded reset; here that level is generated on first use instead,
  // so `make` stays cheap. Unseeded levels are not reproducible either way.
  private structure: Uint8Array = new Uint8Array(0);
  private state: Uint8Array = new Uint8Array(0);
  private exampleMove: Move = 'up';
  private levelSeed: number | null = null;

  constructor(options: SokobanOptions) {
    super();
    this.isRandom = options.numBoxes === null || options.maxTurns === null;
    this.dims = options.dims;
    this.numBoxes = options.numBoxes ?? 0;
    this.maxTurns = options.maxTurns ?? 0;
  }

  /** `seed` also seeds the level generator's own streams (`seed + attempt`). */
  override reset(seed?: number | null): ResetResult {
    this.levelSeed = seed ?? null;
    return super.reset(seed);
  }

  override step(action: string): StepResult {
    if (this.state.length === 0) this.reset();
    return super.step(action);
  }

  sampleRandomAction(): string {
    return `\\boxed{${this.rng.choice(MOVES)}}`;
  }

  /** The level comes from its own seed-derived streams; the variant and prompt example from the env's. */
  protected newEpisode(): ResetResult {
    if (this.isRandom) [this.dims, this.numBoxes, this.maxTurns] = this.rng.choice(RANDOM_VARIANTS);
    const level = generateLevel(this.dims, this.numBoxes, this.levelSeed);
    this.structure = level.structure;
    this.state = level.state;
    this.exampleMove = this.rng.choice(MOVES);
    return [this.instructions(), this.info()];
  }

  protected parse(action: string): Move | null {
    return parseMove(action);
  }

  /** Walks or pushes; the vacated cell is restored from the fixed room so targets reappear. */
  protected play(move: Move): MoveOutcome {
    const t = this.turnCount;
    const outcome = this.applyMove(move);
    if (this.boxesOnTarget() === this.numBoxes) {
      return { observation: 'Congratulations! You have solved the Sokoban puzzle!', reward: 1, terminated: true };
    }
    const observation =
      outcome === 'blocked'
        ? `At turn ${t}, you cannot move ${move} - you would collide with wall or other boxes!`
        : `At turn ${t}, you ${outcome === 'pushed' ? 'pushed a box while you ' : ''}moved ${move}.`;
    return { observation, reward: 0, terminated: false };
  }

  protected formatErrorText(): string {
    return `At turn ${this.turnCount}, your submitted action is not valid.`;
  }

  /** GEM replaces the reward on truncation by the share of boxes on targets. */
  protected override truncationReward(): number {
    return this.boxesOnTarget() / this.numBoxes;
  }

  protected info(): Info {
    return { suffix: `Here is the current board layout:\n${this.renderBoard()}\nEnter your move.` };
  }

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
