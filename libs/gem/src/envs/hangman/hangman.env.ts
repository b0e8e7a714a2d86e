import type { Info, ResetResult } from '../../core/env';
import { lastMatch, pyRegex } from '../../core/pyre';
import { pyUpper } from '../../core/pystr';
import { SecretWordEnv, type SecretWordOptions } from '../secret-word';
import type { MoveOutcome } from '../../core/text-game';

const RANDOM_VARIANTS: ReadonlyArray<readonly [length: number, turns: number]> = [
  [3, 10],
  [5, 15],
  [7, 20],
];
const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];

/**
 * GEM's pattern under `re.IGNORECASE`: `boxed` in any case, and the letter class also takes
 * ſ ı K İ (Python simple case folding).
 */
const GUESS_PATTERN = pyRegex(String.raw`\\boxed{([a-zA-Z]+)}`, { ignoreCase: true });

/** The last `\boxed{…}` guess upper-cased like Python (`ſ`→`S`, `ı`→`I`; K and İ unchanged); null when none. */
export function parseHangmanGuess(action: string): string | null {
  const match = lastMatch(GUESS_PATTERN, action);
  return match === null ? null : pyUpper(match[1]);
}

/**
 * GEM `HangmanEnv` (GEM.md §2.5). Letters pay `0.5·occurrences/length`; only a whole-word guess
 * wins (`0.5·hidden/length + 0.5`). Reproduces the prompt's swapped "one letter"/"entire word" examples.
 */
export class HangmanEnv extends SecretWordEnv {
  private board: string[] = [];
  private guessedLetters = new Set<string>();

  constructor(options: SecretWordOptions, words: readonly string[]) {
    super(options, words);
    this.reset();
  }

  sampleRandomAction(): string {
    return this.rng.choice([0, 1]) === 0 ? this.sampleWord() : this.sampleLetter();
  }

  protected drawVariant(): void {
    [this.wordLength, this.maxTurns] = this.rng.choice(RANDOM_VARIANTS);
  }

  protected startEpisode(): ResetResult {
    this.board = [...this.secret].map(() => '_');
    this.guessedLetters = new Set();
    const wordExample = this.sampleWord();
    const letterExample = this.sampleLetter();
    return [this.instructions(wordExample, letterExample), this.info()];
  }

  protected parse(action: string): string | null {
    return parseHangmanGuess(action);
  }

  protected play(guess: string): MoveOutcome {
    return guess.length > 1 ? this.guessWord(guess) : this.guessLetter(guess);
  }

  protected formatErrorText(): string {
    return 'You did not provide a valid guess.';
  }

  private guessWord(guess: string): MoveOutcome {
    const t = this.turnCount;
    if (guess === this.secret) {
      const hidden = this.board.filter((c) => c === '_').length / this.board.length;
      const text = `Congratulations! You guessed the word '${this.secret}' correctly!`;
      return { observation: text, reward: hidden * 0.5 + 0.5, terminated: true };
    }
    if (guess.length !== this.secret.length) {
      const text = `At turn ${t}, You guessed '${guess}' which is of length ${guess.length}, but the secret word is of length ${this.secret.length}.`;
      return { observation: text, reward: 0, terminated: false };
    }
    return { observation: `At turn ${t}, You guessed '${guess}' which is incorrect.`, reward: 0, terminated: false };
  }

  private guessLetter(letter: string): MoveOutcome {
    const t = this.turnCount;
    if (this.guessedLetters.has(letter)) {
      return { observation: `At turn ${t}, you guessed '${letter}', which has been already guessed before.`, reward: 0, terminated: false };
    }
    this.guessedLetters.add(letter);
    if (!this.secret.includes(letter)) {
      return { observation: `At turn ${t}, you guessed a letter '${letter}' that is not in the secret word.`, reward: 0, terminated: false };
    }
    let revealed = 0;
    [...this.secret].forEach((ch, i) => {
      if (ch !== letter) return;
      this.board[i] = letter;
      revealed += 1;
    });
    const text = `At turn ${t}, you successfully guessed a letter '${letter}' that is in the secret word.`;
    return { observation: text, reward: (revealed / this.secret.length) * 0.5, terminated: false };
  }

  private sampleWord(): string {
    return `\\boxed{${this.rng.choice(this.candidates).toUpperCase()}}`;
  }

  private sampleLetter(): string {
    return `\\boxed{${this.rng.choice(LETTERS).toUpperCase()}}`;
  }

  private renderBoard(): string {
    const header = this.board.map((_, i) => `C${String(i).padStart(2, '0')}`).join(' ');
    return `${header}\n${this.board.map((c) => `  ${c} `).join('')}`;
  }

  protected info(): Info {
    return { suffix: `Here is the current state of the Hangman grid:\n${this.renderBoard()}\n\nEnter your guess.` };
  }

  private instructions(wordExample: string, letterExample: string): string {
    return (
      'You are playing Hangman.\n' +
      `The objective of the game is to guess the ${this.wordLength}-letter word by providing one letter guesses or the entire word.\n` +
      "The cells that need to be populated with letters are represented by '_'.\n\n" +
      `There are two ways you can answer. You can provide one letter guesses in the format of ${wordExample}, ` +
      `or you can guess the entire word in the format of ${letterExample}.\n` +
      'If the given letter is in the word, it will be revealed in the grid.\n' +
      'If the given word is correct, you win.\n' +
      'As you play, the history of your choices will be appended below. Use the information to figure out the word and win.\n' +
      'Some rules:\n' +
      '1. You can only guess one letter/word at a time.\n' +
      `2. You have to win within ${this.maxTurns} turns.\n\n`
    );
  }
}
