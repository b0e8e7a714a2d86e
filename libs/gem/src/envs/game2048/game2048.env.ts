import type { Info, ResetResult } from '../../core/env';
import { lastMatch, pyRegex } from '../../core/pyre';
import { type MoveOutcome, TextGameEnv } from '../../core/text-game';
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

/** GEM's pattern under `re.IGNORECASE`: Python's case folding also lets `ı`/`İ` stand for `i` (`rıght`). */
const ACTION = pyRegex(String.raw`\\boxed\{(up|down|left|right)\}`, { ignoreCase: true });

/** The direction named by the last `\boxed{…}` match, lower-cased like Python's `str.lower()`; null if none. */
export function parseMove(action: string): string | null {
  const match = lastMatch(ACTION, action);
  return match ? match[1].toLowerCase() : null;
}

function isDirection(move: string): move is Direction {
  return (DIRECTIONS as readonly string[]).includes(move);
}

/**
 * GEM `Game2048Env` (GEM.md §2.9): slide-and-merge toward `targetTile` within `maxTurns`.
 * A valid move pays its progress reward before the new tile spawns; the win check follows the spawn.
 */
export class Game2048Env extends TextGameEnv<string> {
  private readonly isRandom: boolean;
  private readonly size: number;
  private target: number;
  private board: number[] = [];
  private maxTileAchieved = 0;
  private initMaxTile = 0;

  constructor(options: Game2048Options) {
    super();
    this.size = options.boardSize;
    this.isRandom = options.targetTile === null || options.maxTurns === null;
    this.target = options.targetTile ?? 0;
    this.maxTurns = options.maxTurns ?? 0;
    this.reset();
  }

  sampleRandomAction(): string {
    return `\\boxed{${this.rng.choice(DIRECTIONS)}}`;
  }

  protected newEpisode(): ResetResult {
    if (this.isRandom) [this.target, this.maxTurns] = this.rng.choice(RANDOM_VARIANTS);
    this.board = new Array<number>(this.size * this.size).fill(0);
    this.spawnTile();
    this.spawnTile();
    this.maxTileAchieved = maxTile(this.board);
    this.initMaxTile = this.maxTileAchieved;
    return [this.instructions(), this.info()];
  }

  protected parse(action: string): string | null {
    return parseMove(action);
  }

  /** `move` is the lower-cased match, which may be `rıght`: GEM then treats it as a no-op move. */
  protected play(move: string): MoveOutcome {
    const t = this.turnCount;
    const next = isDirection(move) ? slide(this.board, this.size, move) : this.board;
    if (sameBoard(next, this.board)) {
      const observation = `At turn ${t}, you chose move '${move}' which doesn't change the board state. Try a different direction.`;
      return { observation, reward: 0, terminated: false };
    }
    this.board = next;
    const reward = this.progressReward();
    this.spawnTile();
    if (this.maxTileAchieved >= this.target) {
      return { observation: `Congratulations! You reached the ${this.target} tile in ${t} turns!`, reward, terminated: true };
    }
    if (noMovesLeft(this.board, this.size)) return { observation: 'Game over! No more moves possible.', reward, terminated: true };
    return { observation: `At turn ${t}, you moved ${move}`, reward, terminated: false };
  }

  protected formatErrorText(): string {
    return `At turn ${this.turnCount}, you did not provide a valid move. Please use \\boxed{direction} format.`;
  }

  protected override truncationText(): string {
    return `You have reached the maximum number of turns (${this.maxTurns}).`;
  }

  protected info(): Info {
    return { suffix: `Current board:\n${renderBoard(this.board, this.size)}\nEnter your move.` };
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
}
