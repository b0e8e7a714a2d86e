import type { Info, ResetResult } from '../../core/env';
import { lastMatch, pyRegex } from '../../core/pyre';
import { pyIntText } from '../../data/python-text';
import type { MoveOutcome } from '../../core/text-game';
import { type Grid, type Placement, renderGrid, sampleAndPlace } from '../crosswords/word-grid';
import { WordGridEnv, type WordGridOptions } from '../crosswords/word-grid-env';

/** Supplies the word list for a hardcore flag: `en` when hardcore, else `en-basic` (loaded lazily). */
export type WordListSource = (hardcore: boolean) => readonly string[];

const UPPERCASE = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];

/** GEM's pattern, with Python's Unicode `\d` and `\s`. */
const GUESS_PATTERN = pyRegex(String.raw`\\boxed\{(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\}`);

/** Start and end cells as Python prints the parsed ints (arbitrary precision, no leading zeros). */
export type WordSearchGuess = [startRow: string, startCol: string, endRow: string, endCol: string];

/** The last `\boxed{r1 c1 r2 c2}` in `action`; null when there is none. */
export function parseWordSearchGuess(action: string): WordSearchGuess | null {
  const m = lastMatch(GUESS_PATTERN, action);
  return m === null ? null : [pyIntText(m[1]), pyIntText(m[2]), pyIntText(m[3]), pyIntText(m[4])];
}

/** The last cell of a placed word. */
function endOf(word: string, at: Placement): [number, number] {
  return at.direction === 'across' ? [at.row, at.col + word.length - 1] : [at.row + word.length - 1, at.col];
}

/**
 * GEM `WordSearchEnv` (GEM.md §2.12): find the hidden words by their end cells. Reproduces GEM's
 * reward farming: the reversed coordinates of a found word are a new attempt and pay again.
 */
export class WordSearchEnv extends WordGridEnv<WordSearchGuess> {
  private grid: Grid = [];
  private placed = new Map<string, Placement>();
  private highlighted = new Set<string>();
  private found = new Set<string>();
  private attempts = new Set<string>();

  constructor(
    options: WordGridOptions,
    private readonly source: WordListSource,
  ) {
    super(options, 5);
    this.reset();
  }

  /** Like GEM: `\boxed{[r c r c]}` with random in-grid cells, which the env's own parser rejects. */
  sampleRandomAction(): string {
    const n = this.grid.length;
    const cells = [0, 1, 2, 3].map(() => this.rng.randint(0, n - 1));
    return `\\boxed{[${cells.join(' ')}]}`;
  }

  protected startEpisode(): ResetResult {
    this.generate(this.source(this.hardcore));
    this.highlighted = new Set();
    this.found = new Set();
    this.attempts = new Set();
    return [this.instructions(), this.info()];
  }

  protected parse(action: string): WordSearchGuess | null {
    return parseWordSearchGuess(action);
  }

  protected play(guess: WordSearchGuess): MoveOutcome {
    const [text, reward] = this.attempt(guess);
    this.attempts.add(guess.join(' '));
    if (this.found.size === this.placed.size) {
      return { observation: 'Congratulations! You completed the Word Search puzzle!', reward, terminated: true };
    }
    return { observation: text, reward, terminated: false };
  }

  protected formatErrorText(): string {
    return `At turn ${this.turnCount}, you did not provide a valid guess in \\boxed{start_row start_col end_row end_col} format.`;
  }

  private attempt(guess: WordSearchGuess): [string, number] {
    const [sr, sc, er, ec] = guess;
    const span = `(${sr}, ${sc}) to (${er}, ${ec})`;
    const at = `At turn ${this.turnCount},`;
    const [r1, c1, r2, c2] = guess.map(Number);
    const size = this.grid.length;
    if (![r1, c1, r2, c2].every((v) => v < size)) return [`${at} your tried coordinates ${span} are out of bounds.`, 0];
    if (this.attempts.has(guess.join(' '))) return [`${at} you have already tried the coordinates ${span}.`, 0];
    if (r1 !== r2 && c1 !== c2) {
      return [`${at} you tried ${span}, which is not valid because words must be either across (horizontal) or down (vertical).`, 0];
    }
    const word = this.wordAt(r1, c1, r2, c2);
    if (word === undefined) return [`${at} incorrect attempt. No word found at coordinates ${span}.`, 0];
    this.found.add(word);
    this.highlight(r1, c1, r2, c2);
    return [`${at} correct! You found the word '${word}' at coordinates ${span}.`, 1 / this.placed.size];
  }

  /** The first placed word whose end cells are exactly these, in either order. */
  private wordAt(r1: number, c1: number, r2: number, c2: number): string | undefined {
    for (const [word, at] of this.placed) {
      const [er, ec] = endOf(word, at);
      const forward = r1 === at.row && c1 === at.col && r2 === er && c2 === ec;
      const backward = r1 === er && c1 === ec && r2 === at.row && c2 === at.col;
      if (forward || backward) return word;
    }
    return undefined;
  }

  private highlight(r1: number, c1: number, r2: number, c2: number): void {
    if (r1 === r2) {
      for (let c = Math.min(c1, c2); c <= Math.max(c1, c2); c++) this.highlighted.add(`${r1},${c}`);
    } else if (c1 === c2) {
      for (let r = Math.min(r1, r2); r <= Math.max(r1, r2); r++) this.highlighted.add(`${r},${c1}`);
    }
  }

  private generate(list: readonly string[]): void {
    const { grid, placed } = sampleAndPlace(this.rng, list, this.numWords, (w) => w.toUpperCase(), false);
    for (const row of grid) {
      for (let c = 0; c < row.length; c++) if (row[c] === '.') row[c] = this.rng.choice(UPPERCASE);
    }
    this.grid = grid;
    this.placed = placed;
  }

  protected info(): Info {
    const board = renderGrid(this.grid.length, (r, c) =>
      this.highlighted.has(`${r},${c}`) ? `[${this.grid[r][c]}] ` : ` ${this.grid[r][c]}  `,
    );
    return { suffix: `Current Board:\n${board}\nWords Found: ${this.found.size}/${this.placed.size}\nEnter your guess.` };
  }

  private instructions(): string {
    return (
      `You are participating in a Word Search challenge (${this.hardcore ? 'Hardcore' : 'Basic'}).\n` +
      'The objective is to find and highlight hidden words on the grid below.\n' +
      'The rows and columns are numbered for your reference.\n\n' +
      'Words you have already found are marked in square brackets [ ].\n' +
      'Each row and column is numbered for clarity.\n\n' +
      'To locate a word, specify the row and column of its start and end letters.\n' +
      'Note that words are either across (horizontal) or down (vertical).\n' +
      'Use the format \\boxed{start_row start_col end_row end_col} for submission.\n' +
      'For instance: \\boxed{1 1 1 5} to find a word from row 1, col 1 to row 1, col 5.\n\n' +
      'Guidelines:\n' +
      `- you have a maximum of ${this.maxTurns} turns to find all the words.\n` +
      '- Each guess must be unique; you cannot repeat the same guess.\n' +
      '- The history of your attempts will be recorded below.\n' +
      '- Make your guesses carefully and strategically!'
    );
  }
}
