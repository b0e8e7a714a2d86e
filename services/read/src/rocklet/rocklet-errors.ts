import {
  BadRequestError,
  CommandFailedError,
  ResourceConflictError,
  ResourceNotFoundError,
  RockletCallError,
  RockletErrorClass,
  RockletExceptionBodySchema,
  RockletTimeoutBodySchema,
  type RockError,
} from '@rock/contracts';

/** Thrown for a rocklet answer over its time budget (HTTP 504) or our own deadline. */
export class RockletTimeoutError extends RockletCallError {}

/** Thrown when no connection to the rocklet could be made or kept (refused, reset, DNS). */
export class RockletUnreachableError extends RockletCallError {}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** A `{detail}` 4xx (the `/env/*` routes): the rocklet's sentence with its status kept. */
function clientError(status: number, detail: string): RockError {
  if (status === 404) return new ResourceNotFoundError(detail);
  if (status === 409) return new ResourceConflictError(detail);
  return new BadRequestError(detail);
}

function exitCodeOf(extra: Record<string, unknown>): number | null {
  const code = extra.exit_code;
  return typeof code === 'number' && Number.isInteger(code) ? code : null;
}

/**
 * Maps a rocklet error answer (API.md §5) to ROCK's typed errors: missing/existing sessions and
 * missing files are 4000; `NonZeroExitCodeError` is the 6000 command failure with its exit code;
 * a `{detail}` 4xx (GEM `/env/*`) keeps its sentence and status; a 504, any other 511 and
 * unexpected statuses are rocklet errors with `exit_code: -1`.
 */
export function rockletErrorFrom(operation: string, status: number, text: string): RockError {
  const body = parseJson(text);
  if (status === 504) {
    const parsed = RockletTimeoutBodySchema.safeParse(body);
    return new RockletTimeoutError(operation, parsed.success ? parsed.data.detail : `rocklet ${operation} timed out`);
  }
  const parsed = RockletExceptionBodySchema.safeParse(body);
  const detail = RockletTimeoutBodySchema.safeParse(body);
  if (detail.success && status >= 400 && status < 500 && status !== 401) return clientError(status, detail.data.detail);
  if (status !== 511 || !parsed.success) {
    const detail = (body as { detail?: unknown } | null)?.detail;
    const reason = typeof detail === 'string' ? detail : text.slice(0, 500) || 'no body';
    return new RockletCallError(operation, `rocklet ${operation} answered HTTP ${status}: ${reason}`);
  }
  const { message, class_path: classPath, extra_info: extra } = parsed.data.rockletexception;
  switch (classPath) {
    case RockletErrorClass.SessionNotFound:
    case RockletErrorClass.FileNotFound:
      return new ResourceNotFoundError(message);
    case RockletErrorClass.SessionExists:
      return new ResourceConflictError(message);
    case RockletErrorClass.NonZeroExitCode:
      return new CommandFailedError(message, exitCodeOf(extra));
    default:
      return new RockletCallError(operation, message);
  }
}
