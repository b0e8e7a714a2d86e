import type { Info, ResetResult } from '../../core/env';
import { lastMatch, pyRegex } from '../../core/pyre';
import { pyStrListRepr, pyUpper } from '../../core/pystr';
import type { MoveOutcome } from '../../core/text-game';
import { SecretWordEnv, type SecretWordOptions } from '../secret-word';

/** GEM's pattern (case-sensitive; Python's `\s`). */
const GUESS_PATTERN = pyRegex(String.raw`\\boxed{([a-zA-Z]+(?:\s+[a-zA-Z]+)*)}`);

/** The upper-cased guess of the last `\boxed{…}` match with ASCII spaces removed; null when none. */
export function parseWordleGuess(action: string): string | null {
  const match = lastMatch(GUESS_PATTERN, action);
  if (match === null) return null;
  const guess = pyUpper(match[1]).replaceAll(' ', '');
  return guess === '' ? null : guess;
}

/** Wordle feedback: greens first (each consumes its secret letter), then yellows left to right. */
export function wordleFeedback(secret: string, guess: string): string[] {
  const remaining: (string | null)[] = [...secret];
  const letters = [...guess];
  const feedback: (string | null)[] = letters.map((letter, i) => {
    if (letter !== remaining[i]) return null;
    remaining[i] = null;
    return 'G';
  });
  return letters.map((letter, i) => {
    if (feedback[i] !== null) return 'G';
    const at = remaining.indexOf(letter);
    if (at < 0) return 'X';
    remaining[at] = null;
    return 'Y';
  });
}

/**
 * GEM `WordleEnv` (GEM.md §2.4): guess the secret `en-basic` word; each position turning green for
 * the first time pays `0.5/L`, a win adds 0.5.
 */
export class WordleEnv extends SecretWordEnv {
  private example = '';
  private previousGuesses = new Set<string>();
  private milestones: boolean[] = [];

  constructor(options: SecretWordOptions, words: readonly string[]) {
    super(options, words);
    this.reset();
  }

  sampleRandomAction(): string {
    return `\\boxed{${this.rng.choice(this.candidates).toUpperCase()}}`;
  }

  protected drawVariant(): void {
    this.wordLength = this.rng.randint(3, 5);
    this.maxTurns = this.wordLength * 5;
  }

  protected startEpisode(): ResetResult {
    this.previousGuesses = new Set();
    this.milestones = new Array<boolean>(this.secret.length).fill(false);
    this.example = this.sampleRandomAction();
    return [this.instructions(), this.info()];
  }

  protected parse(action: string): string | null {
    return parseWordleGuess(action);
  }

  protected play(guess: string): MoveOutcome {
    const t = this.turnCount;
    const length = [...guess].length;
    if (length !== this.wordLength) {
      const text = `At turn ${t}, you guessed ${guess} which has ${length} letters but the secret word has ${this.wordLength} letters.`;
      return { observation: text, reward: 0, terminated: false };
    }
    if (this.previousGuesses.has(guess)) {
      return { observation: `At turn ${t}, you guessed ${guess}, which has been already guessed before.`, reward: 0, terminated: false };
    }
    this.previousGuesses.add(guess);
    const feedback = wordleFeedback(this.secret, guess);
    const reward = this.greenReward(feedback);
    if (feedback.every((f) => f === 'G')) {
      const won = `Congratulations! You guessed the secret word ${this.secret} in ${t} turns.`;
      return { observation: won, reward: reward + 0.5, terminated: true };
    }
    const text = `At turn ${t}, you guessed ${guess}\nFeedback:\n${guess}\n${pyStrListRepr(feedback)}`;
    return { observation: text, reward, terminated: false };
  }

  protected formatErrorText(): string {
    return `At turn ${this.turnCount}, you did not provide a valid guess.`;
  }

  /** `0.5/L` for each position that is green for the first time in this episode. */
  private greenReward(feedback: readonly string[]): number {
    let reward = 0;
    feedback.forEach((f, i) => {
      if (f === 'G' && !this.milestones[i]) {
        reward += (1 / this.milestones.length) * 0.5;
        this.milestones[i] = true;
      }
    });
    return reward;
  }

  protected info(): Info {
    return { suffix: 'Enter your guess.' };
  }

  private instructions(): string {
    return (
      'You are playing Wordle.\n' +
      `You have to guess the secret ${this.wordLength}-letter word within ${this.maxTurns} turns.\n` +
      'After you enter your guess, I will say mark your guess as follows:\n' +
      '  - G (green): correct letter in the correct position\n' +
      '  - Y (yellow): letter exists in the word but in the wrong position\n' +
      '  - X (wrong): letter is not in the word\n' +
      `After thinking, format your final answer inside \\boxed{...}, for example, ${this.example}.\n` +
      'As you play, the history of your guesses will be appended below. ' +
      'Use the information to complete the game before you run out of guesses.\n'
    );
  }
}
