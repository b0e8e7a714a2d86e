import type { RuntimePhase } from './runtime.types';

/**
 * Stable error codes of the runtime drivers. Callers branch on `code` and `transient`, never on
 * the message text.
 */
export type RuntimeErrorCode =
  /** The spec or driver options are invalid (permanent). */
  | 'INVALID_SPEC'
  /** The image is absent locally and the pull policy or the registry cannot provide it (permanent). */
  | 'IMAGE_NOT_FOUND'
  /** Pulling failed for another reason (auth, registry error); transient when the registry said 5xx. */
  | 'IMAGE_PULL_FAILED'
  /** The runtime engine (Docker daemon, API server) cannot be reached or answered 5xx (transient). */
  | 'RUNTIME_UNAVAILABLE'
  /** A resource with the sandbox's name exists and does not belong to this instance (permanent). */
  | 'CONFLICT'
  /** The sandbox process exited before rocklet became ready (permanent). */
  | 'SANDBOX_EXITED'
  /** Rocklet did not answer `/is_alive` before the startup deadline (transient). */
  | 'STARTUP_TIMEOUT'
  /** The caller aborted the operation (permanent). */
  | 'ABORTED'
  /** No managed resource exists for the sandbox id (permanent). */
  | 'NOT_FOUND'
  /** The driver does not implement the operation (permanent). */
  | 'NOT_SUPPORTED'
  /** Anything else the runtime rejected (permanent unless marked otherwise). */
  | 'RUNTIME_ERROR';

/** Options of {@link RuntimeError}. */
export interface RuntimeErrorOptions {
  /** Retrying the same operation later may succeed (retry with backoff). */
  transient?: boolean;
  /** The start-up phase that failed, when the error comes from `create`/`restart`. */
  phase?: RuntimePhase;
  cause?: unknown;
}

/** Every failure a driver reports. `message` is one clear sentence suitable for `failure_reason`. */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  readonly transient: boolean;
  readonly phase: RuntimePhase | null;

  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    options: RuntimeErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.transient = options.transient ?? false;
    this.phase = options.phase ?? null;
  }

  /** A copy attributed to `phase` (keeps code, transience and cause). */
  inPhase(phase: RuntimePhase): RuntimeError {
    if (this.phase === phase) return this;
    const copy = new RuntimeError(this.code, this.message, { transient: this.transient, phase, cause: this.cause });
    copy.stack = this.stack;
    return copy;
  }
}

/** True when `err` is a {@link RuntimeError} (also across duplicated module instances). */
export function isRuntimeError(err: unknown): err is RuntimeError {
  return err instanceof RuntimeError || (err instanceof Error && err.name === 'RuntimeError' && 'code' in err);
}
