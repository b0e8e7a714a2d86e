import type { Info, ResetResult } from '../../core/env';
import { lastMatch, pyRegex } from '../../core/pyre';
import { pyIntLimited, pyIntListRepr, pySplit } from '../../core/pystr';
import { type MoveOutcome, TextGameEnv } from '../../core/text-game';

/** Resolved options; null length/numbers/turns = the `-random` variant (drawn on every reset). */
export interface MastermindOptions {
  codeLength: number | null;
  numNumbers: number | null;
  maxTurns: number | null;
  duplicateNumbers: boolean;
}

const RANDOM_VARIANTS: ReadonlyArray<readonly [length: number, numbers: number, turns: number]> = [
  [2, 4, 10],
  [4, 6, 20],
  [4, 8, 30],
];
const ACTION = pyRegex(String.raw`\\boxed{(\d+(?:\s+\d+)*)}`);

/** Black and white pegs of a guess against the code (standard Mastermind scoring). */
export function scorePegs(code: readonly number[], guess: readonly bigint[]): { black: number; white: number } {
  const restCode: bigint[] = [];
  const restGuess: bigint[] = [];
  let black = 0;
  code.forEach((digit, i) => {
    if (BigInt(digit) === guess[i]) black++;
    else {
      restCode.push(BigInt(digit));
      restGuess.push(guess[i]);
    }
  });
  let white = 0;
  for (const g of restGuess) {
    const at = restCode.indexOf(g);
    if (at >= 0) {
      restCode.splice(at, 1);
      white++;
    }
  }
  return { black, white };
}

/** GEM `MastermindEnv` (GEM.md §2.2): deduce a secret code from black/white peg feedback. */
export class MastermindEnv extends TextGameEnv<bigint[]> {
  private readonly isRandom: boolean;
  private readonly duplicates: boolean;
  private codeLength: number;
  private numNumbers: number;
  private code: number[] = [];
  private guesses = new Set<string>();
  private milestone = 0;

  constructor(options: MastermindOptions) {
    super();
    this.isRandom = options.codeLength === null || options.numNumbers === null || options.maxTurns === null;
    this.duplicates = options.duplicateNumbers;
    this.codeLength = options.codeLength ?? 2;
    this.numNumbers = options.numNumbers ?? 6;
    this.maxTurns = options.maxTurns ?? 1;
    this.reset();
  }

  /** As GEM: always `sample` (distinct digits), even when the code may repeat digits. */
  sampleRandomAction(): string {
    const digits = Array.from({ length: this.numNumbers }, (_, i) => i + 1);
    return `\\boxed{${this.rng.sample(digits, this.codeLength).join(' ')}}`;
  }

  protected newEpisode(): ResetResult {
    if (this.isRandom) [this.codeLength, this.numNumbers, this.maxTurns] = this.rng.choice(RANDOM_VARIANTS);
    this.code = this.drawCode();
    this.guesses = new Set();
    this.milestone = 0;
    return [this.instructions(this.sampleRandomAction()), {}];
  }

  protected parse(action: string): bigint[] | null {
    const m = lastMatch(ACTION, action);
    if (!m) return null;
    const guess: bigint[] = [];
    for (const piece of pySplit(m[1])) {
      const value = pyIntLimited(piece);
      if (value === null) return null;
      guess.push(value);
    }
    return guess;
  }

  protected play(guess: bigint[]): MoveOutcome {
    const t = this.turnCount;
    const shown = pyIntListRepr(guess);
    const L = this.codeLength;
    if (guess.length !== L) {
      return this.neutral(`At turn ${t}, you guessed ${shown} which has ${guess.length} entries but the code has length ${L}.`);
    }
    if (guess.some((g) => g < 1n || g > BigInt(this.numNumbers))) {
      return this.neutral(`At turn ${t}, you guessed ${shown}, which has numbers outside the range 1 to ${this.numNumbers}.`);
    }
    if (this.guesses.has(shown)) return this.neutral(`At turn ${t}, you guessed ${shown}, which has been already guessed before.`);
    this.guesses.add(shown);
    const { black, white } = scorePegs(this.code, guess);
    let reward = 0;
    if (black > this.milestone) {
      reward = (black - this.milestone) / L;
      this.milestone = black;
    }
    if (black === L) {
      const text = `Congratulations! You guessed the correct code ${pyIntListRepr(this.code)} in ${t} turns.`;
      return { observation: text, reward, terminated: true };
    }
    const text = `At turn ${t}, you guessed ${shown}. This guess receives ${black} black peg(s) and ${white} white peg(s).`;
    return { observation: text, reward, terminated: false };
  }

  protected formatErrorText(): string {
    return `At turn ${this.turnCount}, you did not provide a valid guess.`;
  }

  protected info(): Info {
    return { suffix: 'Enter your guess.' };
  }

  private drawCode(): number[] {
    const digits = Array.from({ length: this.numNumbers }, (_, i) => i + 1);
    return this.duplicates ? this.rng.choices(digits, this.codeLength) : this.rng.sample(digits, this.codeLength);
  }

  private neutral(observation: string): MoveOutcome {
    return { observation, reward: 0, terminated: false };
  }

  private instructions(example: string): string {
    return (
      'You are playing Mastermind.\n' +
      `You have to guess the secret ${this.codeLength} digit code within ${this.maxTurns} turns.\n` +
      `The code consists of digits from 1 to ${this.numNumbers} (inclusive). Duplicate numbers are ${this.duplicates ? 'allowed' : 'not allowed'}.\n` +
      'After you enter your guess, I will say mark your guess with black and white pegs, where a black peg indicates a correct digit in the correct position, while a white peg indicates a correct digit in the wrong position.\n' +
      `After thinking, format your final answer inside \\boxed{...}, for example, ${example}.\n` +
      'As you play, the history of your guesses will be appended below. Use the information to complete the game before you run out of guesses.\n' +
      'Enter your first guess to start the game.\n'
    );
  }
}
