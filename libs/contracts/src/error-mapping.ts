import { failedEnvelope, failureResult, INVALID_PARAMETER_MESSAGE, ResultCode, type FailedEnvelope } from './envelope';
import { RockError, type HttpStatusHint } from './errors';
import { ValidationError } from './validation';

/** How one error is answered: the body plus what opt-in HTTP status mode adds. */
export interface FailureResponse<B> {
  body: B;
  /** Status for `X-Rock-Http-Status: true` clients (the body is the same either way). */
  httpStatus: HttpStatusHint;
  /** `Retry-After` seconds for 429/503 answers. */
  retryAfterSeconds?: number;
}

function causeText(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return typeof error === 'string' && error ? error : 'unknown error';
}

/**
 * Maps any thrown value to the sandbox-API failure envelope (API.md §1): validation errors →
 * `message "invalid parameter"`, `result null`; {@link RockError}s → their code, exit code and
 * status; anything else → 5000 `internal error: <cause>`. `routeMessage` is the route's own text
 * (`"start sandbox failed"`). `resultNull` is for answers API.md defines without a result
 * (rocklet timeouts in run_in_session).
 */
export function toFailureEnvelope(
  error: unknown,
  routeMessage: string,
  options: { resultNull?: boolean } = {},
): FailureResponse<FailedEnvelope> {
  if (error instanceof ValidationError) {
    return { body: failedEnvelope(INVALID_PARAMETER_MESSAGE, error.message, null), httpStatus: 400 };
  }
  if (error instanceof RockError) {
    const result = options.resultNull ? null : failureResult(error.code, error.message, error.exitCode);
    return {
      body: failedEnvelope(routeMessage, error.message, result),
      httpStatus: error.httpStatus,
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    };
  }
  const reason = `internal error: ${causeText(error)}`;
  const result = options.resultNull ? null : failureResult(ResultCode.Internal, reason);
  return { body: failedEnvelope(routeMessage, reason, result), httpStatus: 500 };
}

/** GEM routes answer bare `{detail}` with a real HTTP status (API.md §4). */
export function toGemFailure(error: unknown): FailureResponse<{ detail: string }> {
  if (error instanceof ValidationError) return { body: { detail: error.message }, httpStatus: 400 };
  if (error instanceof RockError) {
    return {
      body: { detail: error.message },
      httpStatus: error.httpStatus === 200 ? 400 : error.httpStatus,
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    };
  }
  return { body: { detail: `internal error: ${causeText(error)}` }, httpStatus: 500 };
}

/** E2B-style routes answer `{code, message}` where `code` is the HTTP status (API.md §6). */
export function toE2BFailure(error: unknown): FailureResponse<{ code: number; message: string }> {
  const gem = toGemFailure(error);
  return { ...gem, body: { code: gem.httpStatus, message: gem.body.detail } };
}
