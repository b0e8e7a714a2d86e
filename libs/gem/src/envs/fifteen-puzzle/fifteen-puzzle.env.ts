import type { Info, ResetResult } from '../../core/env';
import { lastMatch, pyRegex } from '../../core/pyre';
import { type MoveOutcome, TextGameEnv } from '../../core/text-game';
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

/** GEM's pattern is case-sensitive: `\boxed{Up}` is a format error. */
const ACTION = pyRegex(String.raw`\\boxed{(up|down|left|right)}`);

/** The direction in the last `\boxed{…}` match, or null when there is none. */
export function parseMove(action: string): Move | null {
  const match = lastMatch(ACTION, action);
  return match ? (match[1] as Move) : null;
}

/**
 * GEM `FifteenPuzzleEnv` at HEAD (GEM.md §2.6), start board by `monte_carlo` by default.
 * Divergence: GEM's `-random` variant crashes in its constructor (`None**2`); here the constructor
 * defers the size to `reset`, which draws it first, as GEM's reset code intends.
 */
export class FifteenPuzzleEnv extends TextGameEnv<Move> {
  private readonly isRandom: boolean;
  private rows: number;
  private board: Tile[] = [];

  constructor(private readonly options: FifteenPuzzleOptions) {
    super();
    this.isRandom = options.numRows === null || options.maxTurns === null;
    this.rows = options.numRows ?? 0;
    this.maxTurns = options.maxTurns ?? 0;
    this.reset();
  }

  /** GEM returns a bare direction (`up`), which this env's own parser rejects; kept for parity. */
  sampleRandomAction(): string {
    return this.rng.choice(MOVES);
  }

  protected newEpisode(): ResetResult {
    if (this.isRandom) [this.rows, this.maxTurns] = this.rng.choice(RANDOM_VARIANTS);
    this.board =
      this.options.initAlgo === 'monte_carlo'
        ? monteCarloBoard(this.rows, this.options.mcRandMoves, this.rng)
        : pureRandomBoard(this.rows, this.rng);
    return [this.instructions(), this.info()];
  }

  protected parse(action: string): Move | null {
    return parseMove(action);
  }

  protected play(move: Move): MoveOutcome {
    const t = this.turnCount;
    if (!applyMove(this.board, this.rows, move)) {
      return { observation: `At turn ${t}, you chose a move ${move} that is outside the bounds of the board.`, reward: 0, terminated: false };
    }
    if (isGoal(this.board)) return { observation: 'Congratulations! You have solved the puzzle!', reward: 1, terminated: true };
    return { observation: `At turn ${t}, you made a valid move: ${move}.\n`, reward: 0, terminated: false };
  }

  protected formatErrorText(): string {
    return `At turn ${this.turnCount}, you did not provide a valid guess`;
  }

  /** GEM adds 1/n² per tile already home (blank included) to the step reward. */
  protected override truncationReward(stepReward: number): number {
    return stepReward + softReward(this.board);
  }

  protected info(): Info {
    return { suffix: `Here is the current board layout: \n${renderBoard(this.board, this.rows)}\nEnter your move.` };
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
}
