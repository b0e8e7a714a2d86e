import { z } from 'zod';

/** `result.code` values clients accept (API.md §1); anything else breaks ROCK's client enum. */
export enum ResultCode {
  Ok = 2000,
  BadRequest = 4000,
  Internal = 5000,
  CommandError = 6000,
}

export const ResultCodeSchema = z.enum(ResultCode);

/** `status` of every sandbox-API envelope. */
export const EnvelopeStatusSchema = z.enum(['Success', 'Failed']);
export type EnvelopeStatus = z.infer<typeof EnvelopeStatusSchema>;

/** `result` of a business failure: `{code, exit_code, failure_reason}` (failure_reason never null). */
export const FailureResultSchema = z.object({
  code: ResultCodeSchema,
  exit_code: z.number().int().nullable(),
  failure_reason: z.string(),
});
export type FailureResult = z.infer<typeof FailureResultSchema>;

/** `{status, message, error, result}` around a result schema (API.md §1). */
export function envelopeOf<T extends z.ZodType>(result: T) {
  return z.object({
    status: EnvelopeStatusSchema,
    message: z.string().nullable(),
    error: z.string().nullable(),
    result: z.union([result, FailureResultSchema]).nullable(),
  });
}

/** A sandbox-API response body. */
export interface Envelope<T> {
  status: EnvelopeStatus;
  message: string | null;
  error: string | null;
  result: T | FailureResult | null;
}

/** A successful envelope: `{status: "Success", message, error: null, result}`. */
export interface SuccessEnvelope<T> extends Envelope<T> {
  status: 'Success';
  result: T;
}

/** A failed envelope: `result` is the failure triple, or `null` for validation/transport errors. */
export interface FailedEnvelope extends Envelope<never> {
  status: 'Failed';
  message: string;
  error: string;
  result: FailureResult | null;
}

/** Wraps a result as a Success envelope. */
export function successEnvelope<T>(result: T, message: string | null = null): SuccessEnvelope<T> {
  return { status: 'Success', message, error: null, result };
}

/**
 * Builds a Failed envelope. `message` is the route-level text (`"start sandbox failed"`), `error`
 * the cause; pass `result: null` for validation errors and rocklet timeouts (API.md §1, §3).
 */
export function failedEnvelope(
  message: string,
  error: string,
  result: FailureResult | null,
): FailedEnvelope {
  return { status: 'Failed', message, error, result };
}

/** The failure triple for a code and a reason (`exit_code` null unless a command produced one). */
export function failureResult(code: ResultCode, reason: string, exitCode: number | null = null): FailureResult {
  return { code, exit_code: exitCode, failure_reason: reason };
}

/** The route-level message of a validation failure (API.md §1). */
export const INVALID_PARAMETER_MESSAGE = 'invalid parameter';

/**
 * Route-level `message` of a Failed envelope, one per sandbox-API route (API.md §1: "a
 * route-specific message"), so the write and read services word failures the same way.
 */
export const ROUTE_FAILURE_MESSAGES = {
  start: 'start sandbox failed',
  start_async: 'start sandbox failed',
  stop: 'stop sandbox failed',
  delete: 'delete sandbox failed',
  restart: 'restart sandbox failed',
  commit: 'commit sandbox failed',
  warmup: 'warmup image failed',
  get_status: 'get sandbox status failed',
  is_alive: 'check sandbox alive failed',
  sandboxes: 'list sandboxes failed',
  batch: 'get sandbox statuses failed',
  get_sandbox_statistics: 'get sandbox statistics failed',
  execute: 'execute command failed',
  create_session: 'create session failed',
  run_in_session: 'run in session failed',
  close_session: 'close session failed',
  read_file: 'read file failed',
  write_file: 'write file failed',
  upload: 'upload file failed',
  download: 'download file failed',
  proxy: 'proxy request failed',
} as const;
export type SandboxRoute = keyof typeof ROUTE_FAILURE_MESSAGES;
