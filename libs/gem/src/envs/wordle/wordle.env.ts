import type { Env, Info, ResetResult, StepResult } from '../../core/env';
import { lastMatch, pyRegex } from '../../core/pyre';
import { pyStrListRepr, pyUpper } from '../../core/pystr';
import { candidateWords } from '../../data/gem-data';
import { PyRandom } from '../../random';

/** Resolved constructor options; a `null` length or turn limit makes every reset pick a variant. */
export interface WordleOptions {
  wordLength: number | null;
  maxTurns: number | null;
}

const FORMAT_ERROR_REWARD = -0.1;

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
export class WordleEnv implements Env {
  envId = '';
  private readonly rng = new PyRandom();
  private readonly isRandom: boolean;
  private wordLength: number;
  private maxTurns: number;
  private candidates: readonly string[] = [];
  private secret = '';
  private example = '';
  private previousGuesses = new Set<string>();
  private milestones: boolean[] = [];
  private turnCount = 0;

  constructor(
    options: WordleOptions,
    private readonly words: readonly string[],
  ) {
    this.isRandom = options.wordLength === null || options.maxTurns === null;
    this.wordLength = options.wordLength ?? 0;
    this.maxTurns = options.maxTurns ?? 0;
    this.reset();
  }

  reset(seed?: number | null): ResetResult {
    if (seed !== undefined && seed !== null) this.rng.seed(seed);
    if (this.isRandom) {
      this.wordLength = this.rng.randint(3, 5);
      this.maxTurns = this.wordLength * 5;
    }
    this.candidates = candidateWords(this.words, this.wordLength);
    this.secret = this.rng.choice(this.candidates).toUpperCase();
    this.previousGuesses = new Set();
    this.milestones = new Array<boolean>(this.secret.length).fill(false);
    this.turnCount = 0;
    this.example = this.sampleRandomAction();
    return [this.instructions(), this.info()];
  }

  step(action: string): StepResult {
    this.turnCount += 1;
    const guess = parseWordleGuess(action);
    if (guess === null) {
      const text = `At turn ${this.turnCount}, you did not provide a valid guess.`;
      return [text, FORMAT_ERROR_REWARD, true, this.turnCount === this.maxTurns, this.info()];
    }
    const length = [...guess].length;
    let text: string;
    let reward = 0;
    if (length !== this.wordLength) {
      text = `At turn ${this.turnCount}, you guessed ${guess} which has ${length} letters but the secret word has ${this.wordLength} letters.`;
    } else if (this.previousGuesses.has(guess)) {
      text = `At turn ${this.turnCount}, you guessed ${guess}, which has been already guessed before.`;
    } else {
      this.previousGuesses.add(guess);
      const feedback = wordleFeedback(this.secret, guess);
      reward = this.greenReward(feedback);
      if (feedback.every((f) => f === 'G')) {
        const won = `Congratulations! You guessed the secret word ${this.secret} in ${this.turnCount} turns.`;
        return [won, reward + 0.5, true, false, this.info()];
      }
      text = `At turn ${this.turnCount}, you guessed ${guess}\nFeedback:\n${guess}\n${pyStrListRepr(feedback)}`;
    }
    if (this.turnCount >= this.maxTurns) {
      return ['You have reached the maximum number of turns.', reward, true, true, this.info()];
    }
    return [text, reward, false, false, this.info()];
  }

  sampleRandomAction(): string {
    return `\\boxed{${this.rng.choice(this.candidates).toUpperCase()}}`;
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

  private info(): Info {
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
