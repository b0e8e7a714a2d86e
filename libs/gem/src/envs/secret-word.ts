import type { ResetResult } from '../core/env';
import { TextGameEnv, zeroSeededRandom } from '../core/text-game';
import { candidateWords } from '../data/gem-data';

/** Hangman's and Wordle's resolved options; a `null` length or turn limit makes every reset pick a variant. */
export interface SecretWordOptions {
  wordLength: number | null;
  maxTurns: number | null;
}

/**
 * What Hangman and Wordle share: a word length (fixed, or drawn per reset when `isRandom`) and a
 * secret drawn from the list's lower-case words of that length. Subclasses call `reset()` at the end
 * of their own constructor, once their fields exist.
 */
export abstract class SecretWordEnv extends TextGameEnv<string> {
  protected readonly isRandom: boolean;
  protected wordLength: number;
  /** The list's lower-case words of `wordLength` letters, in file order. */
  protected candidates: readonly string[] = [];
  /** The upper-cased secret. */
  protected secret = '';

  constructor(
    options: SecretWordOptions,
    private readonly words: readonly string[],
  ) {
    super(zeroSeededRandom());
    this.isRandom = options.wordLength === null || options.maxTurns === null;
    this.wordLength = options.wordLength ?? 0;
    this.maxTurns = options.maxTurns ?? 0;
  }

  protected newEpisode(): ResetResult {
    if (this.isRandom) this.drawVariant();
    this.candidates = candidateWords(this.words, this.wordLength);
    this.secret = this.rng.choice(this.candidates).toUpperCase();
    return this.startEpisode();
  }

  /** Sets `wordLength` and `maxTurns` for a random-variant reset. */
  protected abstract drawVariant(): void;
  /** Resets the game's own state for the new secret and returns the reset pair. */
  protected abstract startEpisode(): ResetResult;
}
