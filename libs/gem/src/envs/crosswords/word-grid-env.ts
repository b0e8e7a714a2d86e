import type { ResetResult } from '../../core/env';
import { TextGameEnv, zeroSeededRandom } from '../../core/text-game';

/** Crosswords' and WordSearch's resolved options; any `null` makes every reset pick the random variant. */
export interface WordGridOptions {
  hardcore: boolean | null;
  maxTurns: number | null;
  numWords: number | null;
}

/** The random variant's turn limit in both games. */
const RANDOM_MAX_TURNS = 20;

/**
 * What Crosswords and WordSearch share: the hardcore flag, word count and turn limit, fixed or (for
 * the random variant) drawn on every reset as a hardcore coin flip. Subclasses call `reset()` at the
 * end of their own constructor, once their fields exist.
 */
export abstract class WordGridEnv<Move> extends TextGameEnv<Move> {
  protected readonly isRandom: boolean;
  protected hardcore: boolean;
  protected numWords: number;

  /** @param randomNumWords the word count of the random variant */
  constructor(
    options: WordGridOptions,
    private readonly randomNumWords: number,
  ) {
    super(zeroSeededRandom());
    this.isRandom = options.hardcore === null || options.maxTurns === null || options.numWords === null;
    this.hardcore = options.hardcore ?? false;
    this.maxTurns = options.maxTurns ?? 0;
    this.numWords = options.numWords ?? 0;
  }

  protected newEpisode(): ResetResult {
    if (this.isRandom) {
      this.hardcore = this.rng.choice([false, true]);
      this.numWords = this.randomNumWords;
      this.maxTurns = RANDOM_MAX_TURNS;
    }
    return this.startEpisode();
  }

  /** Lays out the new grid for `hardcore`/`numWords` and returns the reset pair. */
  protected abstract startEpisode(): ResetResult;
}
