import { ResultCode, RockError } from '@rock/contracts';
import type { Info, ResetResult } from '../../core/env';
import { lastMatch, pyRegex } from '../../core/pyre';
import { pyIntLimited } from '../../core/pystr';
import { type MoveOutcome, TextGameEnv } from '../../core/text-game';
import { generateFullGrid, removeCells } from './sudoku-generator';
import { renderSudoku, sudokuInstructions } from './sudoku-text';

/** Resolved constructor options; any `null` makes the env pick a variant on each reset. */
export interface SudokuOptions {
  scale: number | null;
  clues: number | null;
  maxTurns: number | null;
}

const RANDOM_VARIANTS: ReadonlyArray<readonly [scale: number, clues: number, turns: number]> = [
  [4, 10, 15],
  [9, 50, 50],
];

/** GEM's pattern with Python's Unicode `\d` and `\s`: exactly one whitespace character between numbers. */
const ACTION = pyRegex(String.raw`\\boxed{(\d+)\s(\d+)\s(\d+)}`);

/** A parsed move: each number as Python prints `int(group)` (any size, ASCII digits). */
export interface SudokuMove {
  row: string;
  col: string;
  digit: string;
}

/** `str(int(digits))`; null where CPython's `int()` raises (past 4300 digits), which GEM's try/except makes a format error. */
function intText(digits: string): string | null {
  return pyIntLimited(digits)?.toString() ?? null;
}

/** The last `\boxed{r c d}` in `action`, or null when absent or when Python's `int()` would refuse a group. */
export function parseSudokuMove(action: string): SudokuMove | null {
  const match = lastMatch(ACTION, action);
  if (!match) return null;
  const [row, col, digit] = [match[1], match[2], match[3]].map(intText);
  if (row === null || col === null || digit === null) return null;
  return { row, col, digit };
}

/** `1 <= value <= scale` for a decimal string of any length. */
function inRange(value: string, scale: number): boolean {
  return value.length <= 2 && Number(value) >= 1 && Number(value) <= scale;
}

/** Raised where GEM raises NotImplementedError: Sudoku defines no random action sampler (400, not a crash). */
export class SampleActionUnsupportedError extends RockError {
  constructor(readonly envId: string) {
    super(
      'gem_sample_action_unsupported',
      ResultCode.BadRequest,
      400,
      `${envId} does not implement sample_random_action (GEM raises NotImplementedError)`,
    );
  }
}

/** GEM `SudokuEnv` (GEM.md §2.7): fill the blanks; each correct digit pays 1/initial blanks. */
export class SudokuEnv extends TextGameEnv<SudokuMove> {
  private readonly isRandom: boolean;
  private scale: number;
  private clues: number;
  private solution: number[] = [];
  private board: number[] = [];
  private initialEmpty = 0;

  constructor(options: SudokuOptions) {
    super();
    this.isRandom = options.scale === null || options.clues === null || options.maxTurns === null;
    this.scale = options.scale ?? 0;
    this.clues = options.clues ?? 0;
    this.maxTurns = options.maxTurns ?? 0;
    this.reset();
  }

  /** GEM's SudokuEnv inherits `Env.sample_random_action`, which raises NotImplementedError; so does this. */
  sampleRandomAction(): string {
    throw new SampleActionUnsupportedError(this.envId || 'SudokuEnv');
  }

  protected newEpisode(): ResetResult {
    if (this.isRandom) [this.scale, this.clues, this.maxTurns] = this.rng.choice(RANDOM_VARIANTS);
    this.solution = generateFullGrid(this.scale, this.rng);
    this.board = removeCells(this.solution, this.scale, this.clues, this.rng);
    this.initialEmpty = this.board.filter((d) => d === 0).length;
    return [sudokuInstructions(this.scale), this.info()];
  }

  protected parse(action: string): SudokuMove | null {
    return parseSudokuMove(action);
  }

  protected play({ row, col, digit }: SudokuMove): MoveOutcome {
    const attempt = `At turn ${this.turnCount}, you tried to place ${digit} at R${row} C${col}`;
    if (!inRange(row, this.scale) || !inRange(col, this.scale) || !inRange(digit, this.scale)) {
      return { observation: `${attempt}, which is out of bounds.`, reward: 0, terminated: false };
    }
    const cell = (Number(row) - 1) * this.scale + (Number(col) - 1);
    if (this.board[cell] !== 0) {
      return { observation: `${attempt}, which is already filled. You cannot overwrite pre-filled cells.`, reward: 0, terminated: false };
    }
    if (this.solution[cell] !== Number(digit)) {
      return { observation: `${attempt}, which violates Sudoku rules.`, reward: 0, terminated: false };
    }
    this.board[cell] = Number(digit);
    const reward = 1 / this.initialEmpty;
    if (this.isComplete()) return { observation: 'Congratulations! You have completed the Sudoku puzzle!', reward, terminated: true };
    return { observation: `At turn ${this.turnCount}, you placed ${digit} at R${row} C${col}, which is correct.`, reward, terminated: false };
  }

  protected formatErrorText(): string {
    return 'You did not provide a valid guess.';
  }

  protected info(): Info {
    return { suffix: `Here is the current board layout:\n${renderSudoku(this.board, this.scale)}\nEnter your move.` };
  }

  private isComplete(): boolean {
    for (let i = 0; i < this.board.length; i++) if (this.board[i] !== this.solution[i]) return false;
    return true;
  }
}
