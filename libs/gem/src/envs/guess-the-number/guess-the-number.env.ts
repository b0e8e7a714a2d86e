import type { Info, ResetResult } from '../../core/env';
import { lastMatch, pyRegex } from '../../core/pyre';
import { pyIntLimited } from '../../core/pystr';
import { type MoveOutcome, TextGameEnv } from '../../core/text-game';

/** Resolved options; all three null = the `-random` variant (drawn on every reset). */
export interface GuessTheNumberOptions {
  minNumber: number | null;
  maxNumber: number | null;
  maxTurns: number | null;
}

const ACTION = pyRegex(String.raw`\\boxed{(\d+)}`);

/** GEM `GuessTheNumberEnv` (GEM.md §2.1): binary-search a hidden integer within a turn budget. */
export class GuessTheNumberEnv extends TextGameEnv<bigint> {
  private readonly isRandom: boolean;
  private minNumber: number;
  private maxNumber: number;
  private target = 0;
  private guesses = new Set<bigint>();
  private lastGuess: bigint | null = null;

  constructor(options: GuessTheNumberOptions) {
    super();
    this.isRandom = options.minNumber === null || options.maxNumber === null || options.maxTurns === null;
    this.minNumber = options.minNumber ?? 1;
    this.maxNumber = options.maxNumber ?? 10;
    this.maxTurns = options.maxTurns ?? 1;
    this.reset();
  }

  sampleRandomAction(): string {
    return `\\boxed{${this.rng.randint(this.minNumber, this.maxNumber)}}`;
  }

  protected newEpisode(): ResetResult {
    if (this.isRandom) {
      this.minNumber = this.rng.randint(1, 10);
      this.maxNumber = this.rng.randint(this.minNumber + 5, this.minNumber + 50);
      this.maxTurns = Math.ceil(Math.sqrt(this.maxNumber - this.minNumber)) + 1;
    }
    this.target = this.rng.randint(this.minNumber, this.maxNumber);
    this.guesses = new Set();
    this.lastGuess = null;
    const example = this.rng.randint(this.minNumber, this.maxNumber);
    return [this.instructions(example), this.info()];
  }

  /** `\boxed{0}` is a format error too: GEM tests `if not guess`. */
  protected parse(action: string): bigint | null {
    const m = lastMatch(ACTION, action);
    const guess = m ? pyIntLimited(m[1]) : null;
    return guess === null || guess === 0n ? null : guess;
  }

  protected play(guess: bigint): MoveOutcome {
    const t = this.turnCount;
    this.lastGuess = guess;
    if (guess < BigInt(this.minNumber) || guess > BigInt(this.maxNumber)) {
      return this.outcome(`At turn ${t}, you guessed ${guess}, which is outside the range specified.`);
    }
    if (this.guesses.has(guess)) {
      return this.outcome(`At turn ${t}, you guessed ${guess}, which has been already guessed before.`);
    }
    this.guesses.add(guess);
    if (guess === BigInt(this.target)) {
      return { observation: `Congratulations! You guessed the correct number ${this.target} in ${t} turns.`, reward: 1, terminated: true };
    }
    const direction = guess > BigInt(this.target) ? 'lower' : 'higher';
    return this.outcome(`At turn ${t}, you guessed ${guess}, and the target number is ${direction} than ${guess}.`);
  }

  protected formatErrorText(): string {
    return `At turn ${this.turnCount}, you did not provide a valid guess.`;
  }

  protected info(): Info {
    return { suffix: 'Enter your next guess.' };
  }

  /** Closeness of the last in-range guess; 0 when it was out of range. */
  protected override truncationReward(): number {
    const g = this.lastGuess;
    if (g === null || g < BigInt(this.minNumber) || g > BigInt(this.maxNumber)) return 0;
    return 1 - Math.abs(Number(g) - this.target) / (this.maxNumber - this.minNumber);
  }

  private outcome(observation: string): MoveOutcome {
    return { observation, reward: 0, terminated: false };
  }

  private instructions(example: number): string {
    return (
      'You are playing Guess The Number.\n' +
      `You have to guess the number between ${this.minNumber} and ${this.maxNumber} (inclusive) within ${this.maxTurns} turns.\n` +
      "As you enter your guess, the game will provide you with hints such as the target number is 'higher' or 'lower'.\n" +
      `You may provide your response in any manner. Only the number that is wrapped inside \\boxed{} will be considered as your guess, for example, \\boxed{${example}}.\n` +
      'As you play, the history of your guesses will be appended below. Use the information to complete the game before you run out of guesses.\n' +
      'Enter your first guess to start the game.\n'
    );
  }
}
