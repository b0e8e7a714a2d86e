import type { Env, Info, ResetResult, StepResult } from '../../core/env';
import { lastMatch, pyRegex } from '../../core/pyre';
import { pyIntText } from '../../data/python-text';
import { PyRandom } from '../../random';
import type { WordClue } from './word-clues';
import { type Direction, type Grid, type Placement, placeWords, renderGrid } from './word-grid';

/** Resolved constructor options; any `null` makes every reset pick the random variant. */
export interface CrosswordsOptions {
  hardcore: boolean | null;
  maxTurns: number | null;
  numWords: number | null;
}

/** Supplies the word/clue records for a hardcore flag (loaded lazily from the data dir). */
export type WordClueSource = (hardcore: boolean) => readonly WordClue[];

const FORMAT_ERROR_REWARD = -0.1;

/** GEM's pattern, with Python's Unicode `\d` and `\s`. */
const MOVE_PATTERN = pyRegex(String.raw`\\boxed\{(\d+)\s+(\d+)\s+([a-zA-Z])\}`);

/** A parsed move: row/column as Python would print `int(...)`, and the upper-cased letter. */
export interface CrosswordsMove {
  row: string;
  col: string;
  letter: string;
}

/** The last `\boxed{row col letter}` in `action`; null when there is none. */
export function parseCrosswordsMove(action: string): CrosswordsMove | null {
  const m = lastMatch(MOVE_PATTERN, action);
  return m === null ? null : { row: pyIntText(m[1]), col: pyIntText(m[2]), letter: m[3].toUpperCase() };
}

/** GEM `CrosswordsEnv` (GEM.md §2.11): fill a small crossword one letter per turn from its clues. */
export class CrosswordsEnv implements Env {
  envId = '';
  private readonly rng = new PyRandom();
  private readonly isRandom: boolean;
  private hardcore: boolean;
  private maxTurns: number;
  private numWords: number;
  private solution: Grid = [];
  private board: Grid = [];
  private clues = new Map<string, string>();
  private placed = new Map<string, Placement>();
  private letterCells = 0;
  private turnCount = 0;

  constructor(
    options: CrosswordsOptions,
    private readonly source: WordClueSource,
  ) {
    this.isRandom = options.hardcore === null || options.maxTurns === null || options.numWords === null;
    this.hardcore = options.hardcore ?? false;
    this.maxTurns = options.maxTurns ?? 0;
    this.numWords = options.numWords ?? 0;
    this.reset();
  }

  reset(seed?: number | null): ResetResult {
    if (seed !== undefined && seed !== null) this.rng.seed(seed);
    if (this.isRandom) {
      this.hardcore = this.rng.choice([false, true]);
      this.numWords = 3;
      this.maxTurns = 20;
    }
    this.generate(this.source(this.hardcore));
    this.turnCount = 0;
    return [this.instructions(), this.info()];
  }

  step(action: string): StepResult {
    this.turnCount += 1;
    const move = parseCrosswordsMove(action);
    if (move === null) {
      const text = `At turn ${this.turnCount}, you did not provide a valid guess in \\boxed{row column letter} format.`;
      return [text, FORMAT_ERROR_REWARD, true, this.turnCount === this.maxTurns, this.info()];
    }
    const [text, reward] = this.place(move);
    if (this.board.every((row) => !row.includes('_'))) {
      return ['Congratulations! You completed the Crosswords puzzle!', reward, true, false, this.info()];
    }
    if (this.turnCount >= this.maxTurns) {
      return ['You have reached the maximum number of turns.', reward, true, true, this.info()];
    }
    return [text, reward, false, false, this.info()];
  }

  /** Like GEM: `\boxed{[r c X]}` for a random empty cell, which the env's own parser rejects. */
  sampleRandomAction(): string {
    const empty: Array<[number, number]> = [];
    this.board.forEach((row, r) => row.forEach((cell, c) => cell === '_' && empty.push([r, c])));
    if (empty.length === 0) return '\\boxed{[0 0 A]}';
    const [r, c] = this.rng.choice(empty);
    const letter = this.rng.choice([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ']);
    return `\\boxed{[${r} ${c} ${letter}]}`;
  }

  private place(move: CrosswordsMove): [string, number] {
    const at = `At turn ${this.turnCount}, you`;
    const where = `${move.letter} at (${move.row}, ${move.col})`;
    const row = Number(move.row);
    const col = Number(move.col);
    if (row >= this.board.length || col >= this.board[0].length) return [`${at} tried to place ${where}, which is out of bounds.`, 0];
    const cell = this.board[row][col];
    if (cell === '.') return [`${at} tried to place ${where}, which is a black dot and cannot be filled.`, 0];
    if (cell !== '_') return [`${at} tried to place ${where}, but the cell is already filled.`, 0];
    if (this.solution[row][col].toUpperCase() !== move.letter) return [`${at} tried to place ${where}, but it is incorrect.`, 0];
    this.board[row][col] = move.letter;
    return [`${at} placed ${where} correctly.`, 1 / this.letterCells];
  }

  private generate(records: readonly WordClue[]): void {
    const sampled = this.rng.sample(records, Math.min(this.numWords, records.length));
    const sorted = sampled.map((r, i) => ({ r, i })).sort((a, b) => b.r.word.length - a.r.word.length || a.i - b.i);
    const directions = new Map<string, Direction>();
    for (const { r } of sorted) directions.set(r.word, this.rng.choice<Direction>(['across', 'down']));
    this.clues = new Map(sorted.map(({ r }) => [r.word, r.clue]));
    const { grid, placed } = placeWords(this.rng, [...sorted.map(({ r }) => r.word)], directions, true);
    this.solution = grid;
    this.placed = placed;
    this.board = grid.map((row) => row.map((cell) => (cell === '.' ? '.' : '_')));
    this.letterCells = this.board.reduce((n, row) => n + row.filter((c) => c !== '.').length, 0);
  }

  private clueLines(): string {
    const lines: string[] = [];
    [...this.clues].forEach(([word, clue], i) => {
      const at = this.placed.get(word);
      if (at !== undefined) lines.push(`${i + 1}. ${clue} (${at.direction}): ${word.length} letters`);
    });
    return lines.join('\n');
  }

  private info(): Info {
    const board = renderGrid(this.board.length, (r, c) => ` ${this.board[r][c]}  `);
    return {
      suffix:
        `Current Board:\n${board}\n` +
        `Here are the clues for the words you need to find:\n${this.clueLines()}\n` +
        'Enter your guess.',
    };
  }

  private instructions(): string {
    return (
      'You are playing Crosswords.\n' +
      'Here is the current state of the Crosswords grid. Each row and column are numbered.\n' +
      "The cells that need to be populated with letters are represented by '_', and those that do not need words are represented by '.'.\n\n" +
      'You can only provide one response per turn. Hence, plan your approach and risk appetite.\n' +
      'Only guesses in the format of \\boxed{row column letter} will be fetched from your response, e.g. \\boxed{0 0 d}, \\boxed{1 2 G}.\n' +
      `you have to finish the game in a maximum of ${this.maxTurns} turns.\n` +
      'As you play, the history of your choices will be appended below. Use the information to complete the game.'
    );
  }
}
