/**
 * Shared skeleton of GEM's multi-turn text games (GEM.md §2.0): per-env CPython RNG, turn
 * counting, the format-error rule and the max-turn truncation rule. A game implements
 * `parse` (null = format error), `play` (one parsed move) and the texts; this class applies the
 * rules in GEM's order so no game re-derives them.
 */
import { randomBytes } from 'node:crypto';
import { PyRandom } from '../random';
import type { Env, Info, ResetResult, StepResult } from './env';

/** `LanguageGameReward.format_error_reward`. */
export const FORMAT_ERROR_REWARD = -0.1;
/** GEM's truncation observation (2048 appends its turn limit). */
export const TRUNCATION_TEXT = 'You have reached the maximum number of turns.';

/** Outcome of one parsed move, before the max-turn rule. */
export interface MoveOutcome {
  observation: string;
  reward: number;
  /** Win or loss: skips the max-turn check (GEM checks wins first). */
  terminated: boolean;
}

/** A PyRandom seeded from OS entropy, as CPython seeds its global `random` at start-up. */
export function entropySeededRandom(): PyRandom {
  return new PyRandom(randomBytes(16).readBigUInt64LE());
}

/**
 * A PyRandom at seed 0. Hangman, Wordle, Crosswords and WordSearch start here rather than from OS
 * entropy, so their unseeded make + reset repeats across processes (unlike CPython's global `random`).
 */
export function zeroSeededRandom(): PyRandom {
  return new PyRandom(0);
}

export abstract class TextGameEnv<Move> implements Env {
  envId = '';
  protected turnCount = 0;
  protected maxTurns = 0;

  /** @param rng the env's own stand-in for Python's global `random` (GEM.md §1.4); OS entropy unless a game says otherwise. */
  constructor(protected readonly rng: PyRandom = entropySeededRandom()) {}

  /** `reset(seed)`: re-seeds when a seed is given, zeroes the turn counter, then `newEpisode`. */
  reset(seed?: number | null): ResetResult {
    if (seed !== undefined && seed !== null) this.rng.seed(seed);
    this.turnCount = 0;
    return this.newEpisode();
  }

  step(action: string): StepResult {
    this.turnCount += 1;
    const move = this.parse(action);
    if (move === null) {
      return [this.formatErrorText(), FORMAT_ERROR_REWARD, true, this.turnCount === this.maxTurns, this.info()];
    }
    const outcome = this.play(move);
    if (!outcome.terminated && this.turnCount >= this.maxTurns) {
      return [this.truncationText(), this.truncationReward(outcome.reward), true, true, this.info()];
    }
    return [outcome.observation, outcome.reward, outcome.terminated, false, this.info()];
  }

  abstract sampleRandomAction(): string;

  /** Draws the episode (variant, secret, prompt example) and returns the reset pair. */
  protected abstract newEpisode(): ResetResult;
  /** The last regex match of the action, parsed; null means format error. */
  protected abstract parse(action: string): Move | null;
  /** Applies one well-formed move at turn `this.turnCount`. */
  protected abstract play(move: Move): MoveOutcome;
  protected abstract formatErrorText(): string;
  /** Step info (almost always `{ suffix }` re-rendered from the current state). */
  protected abstract info(): Info;

  protected truncationText(): string {
    return TRUNCATION_TEXT;
  }

  /** Reward on a truncating step; GEM keeps the step's reward unless a game says otherwise. */
  protected truncationReward(stepReward: number): number {
    return stepReward;
  }
}
