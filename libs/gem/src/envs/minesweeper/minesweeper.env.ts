import type { Info, ResetResult } from '../../core/env';
import { lastMatch, pyRegex } from '../../core/pyre';
import { pyIntLimited } from '../../core/pystr';
import { type MoveOutcome, TextGameEnv } from '../../core/text-game';
import { MinesweeperBoard } from './minesweeper-board';

/** Resolved options; all null = the `-random` variant (size drawn on every reset). */
export interface MinesweeperOptions {
  rows: number | null;
  cols: number | null;
  numMines: number | null;
  maxTurns: number | null;
}

interface Move {
  command: string;
  row: bigint;
  col: bigint;
}

const SAMPLE_COMMANDS = [...Array<string>(9).fill('reveal'), 'flag'];
const ACTION = pyRegex(String.raw`\\boxed{([a-zA-Z]+)\s(\d+)\s(\d+)}`);

/** GEM `MinesweeperEnv` (GEM.md §2.3). Mines are placed at the first in-bounds reveal. */
export class MinesweeperEnv extends TextGameEnv<Move> {
  private readonly isRandom: boolean;
  private rows: number;
  private cols: number;
  private numMines: number;
  private board: MinesweeperBoard;

  constructor(options: MinesweeperOptions) {
    super();
    this.isRandom = options.rows === null || options.cols === null || options.numMines === null || options.maxTurns === null;
    this.rows = options.rows ?? 5;
    this.cols = options.cols ?? 5;
    this.numMines = options.numMines ?? 5;
    this.maxTurns = options.maxTurns ?? 1;
    this.board = new MinesweeperBoard(this.rows, this.cols, this.numMines);
    this.reset();
  }

  /** As GEM: `choice(['reveal'] * 9 + ['flag'])`, then a random row and column. */
  sampleRandomAction(): string {
    const command = this.rng.choice(SAMPLE_COMMANDS);
    return `\\boxed{${command} ${this.rng.randint(0, this.rows - 1)} ${this.rng.randint(0, this.cols - 1)}}`;
  }

  protected newEpisode(): ResetResult {
    if (this.isRandom) {
      const n = this.rng.randint(5, 8);
      [this.rows, this.cols, this.numMines, this.maxTurns] = [n, n, Math.floor((n * n) / 5), n * n];
    }
    this.board = new MinesweeperBoard(this.rows, this.cols, this.numMines);
    const reveal = [this.rng.randint(0, this.rows - 1), this.rng.randint(0, this.cols - 1)];
    const flag = [this.rng.randint(0, this.rows - 1), this.rng.randint(0, this.cols - 1)];
    return [instructions(reveal, flag), this.info()];
  }

  protected parse(action: string): Move | null {
    const m = lastMatch(ACTION, action);
    if (!m) return null;
    const row = pyIntLimited(m[2]);
    const col = pyIntLimited(m[3]);
    return row === null || col === null ? null : { command: m[1].toLowerCase(), row, col };
  }

  protected play(move: Move): MoveOutcome {
    const t = this.turnCount;
    const where = `(${move.row}, ${move.col})`;
    if (move.row >= BigInt(this.rows) || move.col >= BigInt(this.cols)) {
      return neutral(`At turn ${t}, you chose cell ${where}, which is outside the bounds of the grid.`);
    }
    const r = Number(move.row);
    const c = Number(move.col);
    if (move.command === 'reveal') return this.reveal(r, c, where);
    if (move.command === 'flag') {
      if (this.board.isRevealed(r, c)) return neutral(`At turn ${t}, you chose to flag cell ${where}, which has already been revealed.`);
      const added = this.board.toggleFlag(r, c);
      return neutral(`At turn ${t}, you ${added ? 'added' : 'removed'} a flag on cell ${where}.`);
    }
    return neutral(`At turn ${t}, you chose an invalid action '${move.command}'. Valid actions are 'reveal' or 'flag'.`);
  }

  protected formatErrorText(): string {
    return `At turn ${this.turnCount}, you did not provide a valid guess.`;
  }

  protected info(): Info {
    return { suffix: `Here is the current board layout:\n${this.board.render()}\nEnter your guess.` };
  }

  private reveal(r: number, c: number, where: string): MoveOutcome {
    const board = this.board;
    if (!board.minesPlaced) board.placeMines(this.rng, r, c);
    if (board.isMine(r, c)) return { observation: `Game over! You hit a mine at ${where}`, reward: 0, terminated: true };
    if (board.isRevealed(r, c) || board.isFlagged(r, c)) {
      return neutral(`At turn ${this.turnCount}, you chose to reveal cell ${where}, which has already been revealed.`);
    }
    const reward = board.reveal(r, c) / (this.rows * this.cols - this.numMines);
    if (board.isCleared()) {
      return { observation: 'Congratulations! You have successfully cleared the Minesweeper board.', reward, terminated: true };
    }
    return { observation: `At turn ${this.turnCount}, you successfully revealed cell ${where}.`, reward, terminated: false };
  }
}

function neutral(observation: string): MoveOutcome {
  return { observation, reward: 0, terminated: false };
}

function instructions([rr, rc]: number[], [fr, fc]: number[]): string {
  return (
    'You are playing the Minesweeper game.\n' +
    'The objective of the game is to reveal all cells that do not contain mines.\n' +
    'To make a move, you can either reveal a cell or place a flag on a suspected mine location using one of the following commands:\n' +
    "- 'reveal': Reveal the contents of a specific cell.\n" +
    "- 'flag': Place or remove a flag on a specific cell to mark it as a potential mine.\n" +
    'To submit your move, type the command followed by the row and column in \\boxed{}.\n' +
    'For example:\n' +
    `- \\boxed{reveal ${rr} ${rc}} to reveal the cell in Row ${rr}, Column ${rc}.\n` +
    `- \\boxed{flag ${fr} ${fc}} to place or remove a flag on the cell in Row ${fr}, Column ${fc}.\n` +
    "The current board layout is shown below. Cells that are unrevealed are represented by a dot ('.'), revealed numbers show the count of adjacent mines, and flagged cells are marked with an 'F'.\n" +
    'Use logic and deduction to avoid revealing cells with mines!\n' +
    'Be mindful not to choose revealed or flagged cells.\n'
  );
}
