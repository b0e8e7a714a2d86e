import { ResultCode } from './envelope';

/** HTTP statuses the opt-in `X-Rock-Http-Status` mode may answer with (API.md §1). */
export type HttpStatusHint = 200 | 400 | 401 | 404 | 409 | 429 | 500 | 503;

/** Options shared by every {@link RockError}. */
export interface RockErrorOptions {
  /** The underlying error, kept for logs (never matched on). */
  cause?: unknown;
  /** Seconds a client should wait before retrying (`Retry-After`, for 429/503). */
  retryAfterSeconds?: number;
  /** Exit code of the failed command, when there was one (`result.exit_code`). */
  exitCode?: number | null;
}

/**
 * Base of every expected failure. `kind` is a stable machine-readable identifier (never match on
 * `message`, STYLE §5); `code` is the envelope's `result.code`; `httpStatus` the status used when a
 * client opts into real HTTP statuses.
 */
export class RockError extends Error {
  readonly retryAfterSeconds: number | undefined;
  readonly exitCode: number | null;
  constructor(
    readonly kind: string,
    readonly code: ResultCode,
    readonly httpStatus: HttpStatusHint,
    message: string,
    options: RockErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.exitCode = options.exitCode ?? null;
  }
}

/** A request that is well-formed but cannot be served as asked (4000 / 400). */
export class BadRequestError extends RockError {
  constructor(message: string, options?: RockErrorOptions) {
    super('bad_request', ResultCode.BadRequest, 400, message, options);
  }
}

/** Missing or unknown API key (4000 / 401). */
export class AuthenticationError extends RockError {
  constructor(message = 'a valid API key is required (X-API-Key or Authorization: Bearer)') {
    super('unauthenticated', ResultCode.BadRequest, 401, message);
  }
}

/** `"Sandbox <id> not found"`: also what another principal's sandbox looks like (API.md §7). */
export class SandboxNotFoundError extends RockError {
  constructor(readonly sandboxId: string) {
    super('sandbox_not_found', ResultCode.BadRequest, 404, `Sandbox ${sandboxId} not found`);
  }
}

/** `"Sandbox <id> already exists"`: a live sandbox holds the id. */
export class SandboxAlreadyExistsError extends RockError {
  constructor(readonly sandboxId: string) {
    super('sandbox_already_exists', ResultCode.BadRequest, 409, `Sandbox ${sandboxId} already exists`);
  }
}

/** The sandbox exists but its state does not allow the action (e.g. delete while running). */
export class SandboxStateConflictError extends RockError {
  constructor(
    readonly sandboxId: string,
    readonly state: string,
    action: string,
  ) {
    super('sandbox_state_conflict', ResultCode.BadRequest, 409, `Sandbox ${sandboxId} is ${state}; cannot ${action}`);
  }
}

/** A named resource inside a sandbox (session, file) does not exist (4000 / 404). */
export class ResourceNotFoundError extends RockError {
  constructor(message: string) {
    super('resource_not_found', ResultCode.BadRequest, 404, message);
  }
}

/** A named resource inside a sandbox (session) already exists (4000 / 409). */
export class ResourceConflictError extends RockError {
  constructor(message: string) {
    super('resource_conflict', ResultCode.BadRequest, 409, message);
  }
}

/**
 * Admission refused a create: a global cap or a per-principal quota (4000 / 429 + Retry-After).
 * `limit` names the cap (`max_sandboxes`, `max_total_cpus`, `owner_max_sandboxes`, …).
 */
export class AdmissionRejectedError extends RockError {
  constructor(
    readonly limit: string,
    reason: string,
    retryAfterSeconds = 5,
  ) {
    super('admission_rejected', ResultCode.BadRequest, 429, reason, { retryAfterSeconds });
  }
}

/** `"restart is not supported by runtime local"` (4000 / 400). */
export class UnsupportedByRuntimeError extends RockError {
  constructor(
    readonly operation: string,
    readonly runtime: string,
  ) {
    super('unsupported_by_runtime', ResultCode.BadRequest, 400, `${operation} is not supported by runtime ${runtime}`);
  }
}

/** The runtime (Docker daemon, Kubernetes API) cannot be reached (5000 / 503 + Retry-After). */
export class RuntimeUnavailableError extends RockError {
  constructor(
    readonly runtime: string,
    detail: string,
    options: RockErrorOptions = {},
  ) {
    super('runtime_unavailable', ResultCode.Internal, 503, `runtime ${runtime} is unavailable: ${detail}`, {
      retryAfterSeconds: 5,
      ...options,
    });
  }
}

/** A start failed in a phase (image pull, container start, rocklet readiness) (5000 / 500). */
export class SandboxStartFailedError extends RockError {
  constructor(
    readonly sandboxId: string,
    readonly phase: string,
    reason: string,
    options?: RockErrorOptions,
  ) {
    super('sandbox_start_failed', ResultCode.Internal, 500, reason, options);
  }
}

/** A wait ran past its deadline (startup budget, rocklet call budget) (5000 / 503). */
export class DeadlineExceededError extends RockError {
  constructor(message: string, options?: RockErrorOptions) {
    super('deadline_exceeded', ResultCode.Internal, 503, message, options);
  }
}

/**
 * The rocklet answered with an error (HTTP 511/504) or could not be reached; the read service
 * reports it with `exit_code: -1` (API.md §5).
 */
export class RockletCallError extends RockError {
  constructor(
    readonly operation: string,
    message: string,
    options: RockErrorOptions = {},
  ) {
    super('rocklet_error', ResultCode.Internal, 500, message, { exitCode: -1, ...options });
  }
}

/**
 * A command ran and failed (`check: "raise"` / `check: true`): code 6000, which clients do not
 * raise on; `exitCode` and the output travel in `result`. HTTP 200 even in opt-in status mode,
 * because the call itself succeeded.
 */
export class CommandFailedError extends RockError {
  constructor(message: string, exitCode: number | null, options: RockErrorOptions = {}) {
    super('command_failed', ResultCode.CommandError, 200, message, { ...options, exitCode });
  }
}

/** An unexpected failure inside ROCK (5000 / 500). */
export class InternalError extends RockError {
  constructor(message: string, options?: RockErrorOptions) {
    super('internal', ResultCode.Internal, 500, message, options);
  }
}
