import type { Env, Info, ResetResult, StepResult } from '../../core/env';
import { PyRandom } from '../../random';
import { DIRECTIONS, type Direction, maxTile, noMovesLeft, renderBoard, sameBoard, slide } from './board2048';

/** Resolved constructor options; `null` target or turns makes the env pick a variant on each reset. */
export interface Game2048Options {
  targetTile: number | null;
  maxTurns: number | null;
  boardSize: number;
}

const RANDOM_VARIANTS: ReadonlyArray<readonly [target: number, turns: number]> = [
  [16, 20],
  [32, 30],
  [64, 50],
];
const FORMAT_ERROR_REWARD = -0.1;

/**
 * GEM's `\\boxed\{(up|down|left|right)\}` under Python `re.IGNORECASE`: besides ASCII case, Python's
 * simple case folding lets `ı` (U+0131) and `İ` (U+0130) stand for `i`, so `\boxed{rıght}` matches.
 * No other non-ASCII character folds onto these letters.
 */
const ACTION_PATTERN = /\\[bB][oO][xX][eE][dD]\{([uU][pP]|[dD][oO][wW][nN]|[lL][eE][fF][tT]|[rR][iIıİ][gG][hH][tT])\}/g;

/** The direction named by the last `\boxed{…}` match, lower-cased like Python's `str.lower()`; null if none. */
export function parseMove(action: string): string | null {
  let last: string | null = null;
  ACTION_PATTERN.lastIndex = 0;
  for (let m = ACTION_PATTERN.exec(action); m !== null; m = ACTION_PATTERN.exec(action)) last = m[1];
  return last === null ? null : last.toLowerCase();
}

function isDirection(move: string): move is Direction {
  return (DIRECTIONS as readonly string[]).includes(move);
}

/** GEM `Game2048Env` (GEM.md §2.9): slide-and-merge toward `targetTile` within `maxTurns`. */
export class Game2048Env implements Env {
  envId = '';
  private readonly rng = new PyRandom();
  private readonly isRandom: boolean;
  private readonly size: number;
  private target: number;
  private maxTurns: number;
  private board: number[] = [];
  private turnCount = 0;
  private maxTileAchieved = 0;
  private initMaxTile = 0;

  constructor(options: Game2048Options) {
    this.size = options.boardSize;
    this.isRandom = options.targetTile === null || options.maxTurns === null;
    this.target = options.targetTile ?? 0;
    this.maxTurns = options.maxTurns ?? 0;
    this.reset();
  }

  reset(seed?: number | null): ResetResult {
    if (seed !== undefined && seed !== null) this.rng.seed(seed);
    if (this.isRandom) [this.target, this.maxTurns] = this.rng.choice(RANDOM_VARIANTS);
    this.board = new Array<number>(this.size * this.size).fill(0);
    this.turnCount = 0;
    this.spawnTile();
    this.spawnTile();
    this.maxTileAchieved = maxTile(this.board);
    this.initMaxTile = this.maxTileAchieved;
    return [this.instructions(), this.info()];
  }

  step(action: string): StepResult {
    this.turnCount += 1;
    const move = parseMove(action);
    if (move === null) {
      const text = `At turn ${this.turnCount}, you did not provide a valid move. Please use \\boxed{direction} format.`;
      return [text, FORMAT_ERROR_REWARD, true, this.turnCount === this.maxTurns, this.info()];
    }
    const next = isDirection(move) ? slide(this.board, this.size, move) : this.board;
    let text: string;
    let reward = 0;
    if (sameBoard(next, this.board)) {
      text = `At turn ${this.turnCount}, you chose move '${move}' which doesn't change the board state. Try a different direction.`;
    } else {
      this.board = next;
      reward = this.progressReward();
      this.spawnTile();
      if (this.maxTileAchieved >= this.target) {
        const won = `Congratulations! You reached the ${this.target} tile in ${this.turnCount} turns!`;
        return [won, reward, true, false, this.info()];
      }
      if (noMovesLeft(this.board, this.size)) return ['Game over! No more moves possible.', reward, true, false, this.info()];
      text = `At turn ${this.turnCount}, you moved ${move}`;
    }
    if (this.turnCount >= this.maxTurns) {
      return [`You have reached the maximum number of turns (${this.maxTurns}).`, reward, true, true, this.info()];
    }
    return [text, reward, false, false, this.info()];
  }

  sampleRandomAction(): string {
    return `\\boxed{${this.rng.choice(DIRECTIONS)}}`;
  }

  /** Log-scale progress toward the target, paid once per new maximum (measured before the spawn). */
  private progressReward(): number {
    const current = Math.min(maxTile(this.board), this.target);
    if (current <= this.maxTileAchieved) return 0;
    const reward =
      (Math.log2(current) - Math.log2(this.maxTileAchieved)) / (Math.log2(this.target) - Math.log2(this.initMaxTile));
    this.maxTileAchieved = current;
    return reward;
  }

  /** A 2 (90%) or 4 (10%) in a uniformly chosen empty cell, drawn exactly as GEM's `_add_random_tile`. */
  private spawnTile(): void {
    const empty: number[] = [];
    for (let i = 0; i < this.board.length; i++) if (this.board[i] === 0) empty.push(i);
    if (empty.length === 0) return;
    const cell = this.rng.choice(empty);
    this.board[cell] = this.rng.random() < 0.9 ? 2 : 4;
  }

  private instructions(): string {
    return (
      'You are playing 2048.\n' +
      `Your goal is to reach the ${this.target} tile by sliding and merging tiles.\n` +
      `You have ${this.maxTurns} turns maximum.\n\n` +
      'Rules:\n' +
      '- When two tiles with the same number touch, they merge into one tile with double the value.\n' +
      '- After each move, a new tile (2 or 4) appears in a random empty spot.\n' +
      "- You can move tiles in four directions: 'up', 'down', 'left', 'right'.\n\n" +
      'To submit your move, type the direction in \\boxed{...}.\n' +
      `For example: ${this.sampleRandomAction()}\n\n`
    );
  }

  private info(): Info {
    return { suffix: `Current board:\n${renderBoard(this.board, this.size)}\nEnter your move.` };
  }
}
