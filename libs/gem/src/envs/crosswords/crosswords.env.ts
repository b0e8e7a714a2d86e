import type { Info, ResetResult } from '../../core/env';
import { lastMatch, pyRegex } from '../../core/pyre';
import { pyIntText } from '../../data/python-text';
import type { MoveOutcome } from '../../core/text-game';
import type { WordClue } from './word-clues';
import { type Grid, type Placement, renderGrid, sampleAndPlace } from './word-grid';
import { WordGridEnv, type WordGridOptions } from './word-grid-env';

/** Supplies the word/clue records for a hardcore flag (loaded lazily from the data dir). */
export type WordClueSource = (hardcore: boolean) => readonly WordClue[];

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
export class CrosswordsEnv extends WordGridEnv<CrosswordsMove> {
  private solution: Grid = [];
  private board: Grid = [];
  private clues = new Map<string, string>();
  private placed = new Map<string, Placement>();
  private letterCells = 0;

  constructor(
    options: WordGridOptions,
    private readonly source: WordClueSource,
  ) {
    super(options, 3);
    this.reset();
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

  protected startEpisode(): ResetResult {
    this.generate(this.source(this.hardcore));
    return [this.instructions(), this.info()];
  }

  protected parse(action: string): CrosswordsMove | null {
    return parseCrosswordsMove(action);
  }

  protected play(move: CrosswordsMove): MoveOutcome {
    const [text, reward] = this.place(move);
    if (this.board.every((row) => !row.includes('_'))) {
      return { observation: 'Congratulations! You completed the Crosswords puzzle!', reward, terminated: true };
    }
    return { observation: text, reward, terminated: false };
  }

  protected formatErrorText(): string {
    return `At turn ${this.turnCount}, you did not provide a valid guess in \\boxed{row column letter} format.`;
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
    const { ordered, grid, placed } = sampleAndPlace(this.rng, records, this.numWords, (r) => r.word, true);
    this.clues = new Map(ordered.map((r) => [r.word, r.clue]));
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

  protected info(): Info {
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
