import type { Env, Info, ResetResult, StepResult } from '../../core/env';
import { PyRandom } from '../../random';
import { PY_DIGIT, PY_SPACE, lastMatch, pyIntText } from './python-regex';
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
const FORMAT_ERROR_REWARD = -0.1;

/** `\\boxed{(\d+)\s(\d+)\s(\d+)}` with Python's Unicode `\d` and `\s`: exactly one space between numbers. */
const ACTION_PATTERN = new RegExp(
  `\\\\boxed\\{(${PY_DIGIT}+)${PY_SPACE}(${PY_DIGIT}+)${PY_SPACE}(${PY_DIGIT}+)\\}`,
  'gu',
);

/** A parsed move: each number as Python would print `int(group)` (arbitrary size, ASCII digits). */
export interface SudokuMove {
  row: string;
  col: string;
  digit: string;
}

/** The last `\boxed{r c d}` in `action`, or null when absent or when Python's `int()` would refuse a group. */
export function parseSudokuMove(action: string): SudokuMove | null {
  const match = lastMatch(ACTION_PATTERN, action);
  if (!match) return null;
  const [row, col, digit] = [match[1], match[2], match[3]].map(pyIntText);
  if (row === null || col === null || digit === null) return null;
  return { row, col, digit };
}

/** `1 <= value <= scale` for a decimal string of any length. */
function inRange(value: string, scale: number): boolean {
  return value.length <= 2 && Number(value) >= 1 && Number(value) <= scale;
}

/** Raised like GEM's NotImplementedError: Sudoku defines no random action sampler. */
export class SampleActionUnsupportedError extends Error {
  readonly code = 'GEM_SAMPLE_ACTION_UNSUPPORTED';
  constructor(envId: string) {
    super(`${envId} does not implement sample_random_action (GEM raises NotImplementedError)`);
    this.name = 'SampleActionUnsupportedError';
  }
}

/** GEM `SudokuEnv` (GEM.md §2.7): fill the blanks; each correct digit pays 1/initial blanks. */
export class SudokuEnv implements Env {
  envId = '';
  private readonly rng = new PyRandom();
  private readonly isRandom: boolean;
  private scale: number;
  private clues: number;
  private maxTurns: number;
  private solution: number[] = [];
  private board: number[] = [];
  private initialEmpty = 0;
  private turnCount = 0;

  constructor(options: SudokuOptions) {
    this.isRandom = options.scale === null || options.clues === null || options.maxTurns === null;
    this.scale = options.scale ?? 0;
    this.clues = options.clues ?? 0;
    this.maxTurns = options.maxTurns ?? 0;
    this.reset();
  }

  reset(seed?: number | null): ResetResult {
    if (seed !== undefined && seed !== null) this.rng.seed(seed);
    if (this.isRandom) [this.scale, this.clues, this.maxTurns] = this.rng.choice(RANDOM_VARIANTS);
    this.solution = generateFullGrid(this.scale, this.rng);
    this.board = removeCells(this.solution, this.scale, this.clues, this.rng);
    this.initialEmpty = this.board.filter((d) => d === 0).length;
    this.turnCount = 0;
    return [sudokuInstructions(this.scale), this.info()];
  }

  step(action: string): StepResult {
    this.turnCount += 1;
    const move = parseSudokuMove(action);
    if (move === null) {
      return ['You did not provide a valid guess.', FORMAT_ERROR_REWARD, true, this.turnCount === this.maxTurns, this.info()];
    }
    const { row, col, digit } = move;
    const attempt = `At turn ${this.turnCount}, you tried to place ${digit} at R${row} C${col}`;
    let text: string;
    let reward = 0;
    if (!inRange(row, this.scale) || !inRange(col, this.scale) || !inRange(digit, this.scale)) {
      text = `${attempt}, which is out of bounds.`;
    } else {
      const cell = (Number(row) - 1) * this.scale + (Number(col) - 1);
      if (this.board[cell] !== 0) {
        text = `${attempt}, which is already filled. You cannot overwrite pre-filled cells.`;
      } else if (this.solution[cell] === Number(digit)) {
        this.board[cell] = Number(digit);
        reward = 1 / this.initialEmpty;
        if (this.isComplete()) return ['Congratulations! You have completed the Sudoku puzzle!', reward, true, false, this.info()];
        text = `At turn ${this.turnCount}, you placed ${digit} at R${row} C${col}, which is correct.`;
      } else {
        text = `${attempt}, which violates Sudoku rules.`;
      }
    }
    if (this.turnCount >= this.maxTurns) return ['You have reached the maximum number of turns.', reward, true, true, this.info()];
    return [text, reward, false, false, this.info()];
  }

  /** GEM's SudokuEnv inherits `Env.sample_random_action`, which raises NotImplementedError; so does this. */
  sampleRandomAction(): string {
    throw new SampleActionUnsupportedError(this.envId || 'SudokuEnv');
  }

  private isComplete(): boolean {
    for (let i = 0; i < this.board.length; i++) if (this.board[i] !== this.solution[i]) return false;
    return true;
  }

  private info(): Info {
    return { suffix: `Here is the current board layout:\n${renderSudoku(this.board, this.scale)}\nEnter your move.` };
  }
}
