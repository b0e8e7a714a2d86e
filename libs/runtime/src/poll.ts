import { RuntimeError } from './runtime.errors';

/** A growing poll interval: `initialMs`, ×`factor` each attempt, capped at `maxMs`. */
export interface BackoffSchedule {
  initialMs: number;
  factor: number;
  maxMs: number;
}

/** Readiness polling of rocklet: 5 ms, 7.5 ms, … up to 100 ms. */
export const READINESS_BACKOFF: BackoffSchedule = Object.freeze({ initialMs: 5, factor: 1.5, maxMs: 100 });

/** Time source and sleeper, injectable so unit tests never sleep. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with `ABORTED` as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortedError());
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortedError());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** The `ABORTED` error every driver operation rejects with when its signal fires. */
export function abortedError(): RuntimeError {
  return new RuntimeError('ABORTED', 'The operation was aborted by the caller.');
}

/** Throws `ABORTED` when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError();
}

/** Endless sequence of delays following `schedule`. */
export function* backoffDelays(schedule: BackoffSchedule): Generator<number, never, void> {
  let delay = schedule.initialMs;
  while (true) {
    yield Math.min(delay, schedule.maxMs);
    delay = Math.min(delay * schedule.factor, schedule.maxMs);
  }
}

/** Options of {@link pollUntil}. */
export interface PollOptions {
  schedule: BackoffSchedule;
  /** Absolute deadline in the clock's milliseconds. */
  deadline: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Error thrown once the deadline passes without success. */
  onTimeout: () => Error;
}

/**
 * Calls `probe` until it returns a value other than `undefined`, sleeping along `schedule` between
 * attempts and never past `deadline`. A throwing probe ends the poll with that error.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const clock = options.clock ?? systemClock;
  const delays = backoffDelays(options.schedule);
  try {
    while (true) {
      throwIfAborted(options.signal);
      const result = await probe();
      if (result !== undefined) return result;
      const remaining = options.deadline - clock.now();
      if (remaining <= 0) throw options.onTimeout();
      await clock.sleep(Math.min(delays.next().value, remaining), options.signal);
    }
  } catch (err) {
    // A signal that fired because a deadline passed (AbortSignal.timeout) is a timeout, not an abort.
    if (isDeadlineAbort(options.signal)) throw options.onTimeout();
    throw err;
  }
}

/** True when `signal` fired because of `AbortSignal.timeout` (also through `AbortSignal.any`). */
export function isDeadlineAbort(signal: AbortSignal | undefined): boolean {
  return !!signal?.aborted && (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
}
