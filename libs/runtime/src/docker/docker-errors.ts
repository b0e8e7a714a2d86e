import { RuntimeError, type RuntimeErrorCode } from '../runtime.errors';
import type { RuntimePhase } from '../runtime.types';

/** Socket-level error codes that mean "the daemon is not reachable right now". */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

interface DockerishError {
  statusCode?: number;
  code?: string;
  name?: string;
  json?: { message?: string } | null;
  message?: string;
}

/** HTTP status of a dockerode error, or null for socket-level failures. */
export function dockerStatus(err: unknown): number | null {
  const status = (err as DockerishError | null)?.statusCode;
  return typeof status === 'number' ? status : null;
}

/** The daemon's own message (without dockerode's "(HTTP code …)" prefix) or the socket error. */
export function dockerMessage(err: unknown): string {
  const e = err as DockerishError | null;
  const text = e?.json?.message ?? e?.message ?? String(err);
  // dockerode prefixes "(HTTP code 500) server error - " when the body held no JSON message.
  return text.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

/**
 * Classifies a dockerode failure: unreachable daemon and 5xx are transient; 400 is a bad spec,
 * 404 not found, 409 a conflict (all permanent). `what` starts the message ("create container x").
 */
export function fromDockerError(err: unknown, what: string, phase?: RuntimePhase): RuntimeError {
  if (err instanceof RuntimeError) return phase && !err.phase ? err.inPhase(phase) : err;
  const e = err as DockerishError | null;
  if (e?.name === 'AbortError') {
    return new RuntimeError('ABORTED', `${what} was aborted.`, { phase, cause: err });
  }
  const status = dockerStatus(err);
  const detail = dockerMessage(err);
  if (status === null && e?.code && UNREACHABLE_CODES.has(e.code)) {
    return new RuntimeError('RUNTIME_UNAVAILABLE', `Docker daemon unreachable (${e.code}) during ${what}.`, {
      transient: true,
      phase,
      cause: err,
    });
  }
  const code: RuntimeErrorCode =
    status === 400 ? 'INVALID_SPEC' : status === 404 ? 'NOT_FOUND' : status === 409 ? 'CONFLICT' : 'RUNTIME_ERROR';
  const transient = status === null || status >= 500;
  return new RuntimeError(code, `${what} failed: ${detail}`, { transient, phase, cause: err });
}
