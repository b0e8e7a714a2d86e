import type { Env, Info, ResetResult, StepResult } from '../../core/env';
import { PyRandom } from '../../random';
import {
  MOVES,
  type Move,
  type Tile,
  applyMove,
  isGoal,
  monteCarloBoard,
  pureRandomBoard,
  renderBoard,
  softReward,
} from './fifteen-board';

export type InitAlgo = 'monte_carlo' | 'pure_random';

/** Resolved constructor options; `null` rows or turns makes the env pick a size on each reset. */
export interface FifteenPuzzleOptions {
  numRows: number | null;
  maxTurns: number | null;
  initAlgo: InitAlgo;
  mcRandMoves: number;
}

const RANDOM_VARIANTS: ReadonlyArray<readonly [rows: number, turns: number]> = [
  [2, 10],
  [3, 20],
  [4, 50],
];
const FORMAT_ERROR_REWARD = -0.1;

/** GEM's pattern is case-sensitive: `\boxed{Up}` is a format error. */
const ACTION_PATTERN = /\\boxed\{(up|down|left|right)\}/g;

/** The direction in the last `\boxed{…}` match, or null when there is none. */
export function parseMove(action: string): Move | null {
  let last: Move | null = null;
  ACTION_PATTERN.lastIndex = 0;
  for (let m = ACTION_PATTERN.exec(action); m !== null; m = ACTION_PATTERN.exec(action)) last = m[1] as Move;
  return last;
}

/**
 * GEM `FifteenPuzzleEnv` at HEAD (GEM.md §2.6), start board by `monte_carlo` by default.
 * Divergence: GEM's `-random` variant crashes in its constructor (`None**2`); here the constructor
 * defers the size to `reset`, which draws it first, as GEM's reset code intends.
 */
export class FifteenPuzzleEnv implements Env {
  envId = '';
  private readonly rng = new PyRandom();
  private readonly isRandom: boolean;
  private rows: number;
  private maxTurns: number;
  private board: Tile[] = [];
  private turnCount = 0;

  constructor(private readonly options: FifteenPuzzleOptions) {
    this.isRandom = options.numRows === null || options.maxTurns === null;
    this.rows = options.numRows ?? 0;
    this.maxTurns = options.maxTurns ?? 0;
    this.reset();
  }

  reset(seed?: number | null): ResetResult {
    if (seed !== undefined && seed !== null) this.rng.seed(seed);
    if (this.isRandom) [this.rows, this.maxTurns] = this.rng.choice(RANDOM_VARIANTS);
    this.board =
      this.options.initAlgo === 'monte_carlo'
        ? monteCarloBoard(this.rows, this.options.mcRandMoves, this.rng)
        : pureRandomBoard(this.rows, this.rng);
    this.turnCount = 0;
    return [this.instructions(), this.info()];
  }

  step(action: string): StepResult {
    this.turnCount += 1;
    const move = parseMove(action);
    if (move === null) {
      const text = `At turn ${this.turnCount}, you did not provide a valid guess`;
      return [text, FORMAT_ERROR_REWARD, true, this.turnCount === this.maxTurns, this.info()];
    }
    let text: string;
    if (!applyMove(this.board, this.rows, move)) {
      text = `At turn ${this.turnCount}, you chose a move ${move} that is outside the bounds of the board.`;
    } else if (isGoal(this.board)) {
      return ['Congratulations! You have solved the puzzle!', 1, true, false, this.info()];
    } else {
      text = `At turn ${this.turnCount}, you made a valid move: ${move}.\n`;
    }
    if (this.turnCount >= this.maxTurns) {
      return ['You have reached the maximum number of turns.', softReward(this.board), true, true, this.info()];
    }
    return [text, 0, false, false, this.info()];
  }

  /** GEM returns a bare direction (`up`), which this env's own parser rejects; kept for parity. */
  sampleRandomAction(): string {
    return this.rng.choice(MOVES);
  }

  private instructions(): string {
    const greatest = this.rows * this.rows - 1;
    return (
      `You are playing the ${greatest}-Puzzle game.\n` +
      `You have to arrange the numbered tiles in ascending order from 1 to ${greatest}, with the empty space located in the bottom-right corner.\n` +
      'To make a move, you can slide a tile into the empty space (represented by a double underscore, e.g. __) by using one of the following commands:\n' +
      "- 'up': Move the tile below the empty space up.\n" +
      "- 'down': Move the tile above the empty space down.\n" +
      "- 'left': Move the tile to the right of the empty space left.\n" +
      "- 'right': Move the tile to the left of the empty space right.\n" +
      "To submit your move, type the direction (e.g., 'up', 'down', 'left', or 'right') in \\boxed{...}.\n" +
      'The current board layout is shown below\n' +
      'Use logic and planning to solve the puzzle.\n'
    );
  }

  private info(): Info {
    return { suffix: `Here is the current board layout: \n${renderBoard(this.board, this.rows)}\nEnter your move.` };
  }
}
