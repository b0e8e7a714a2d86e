import { randomUUID } from 'node:crypto';
import { ROCK_HEADERS } from '@rock/contracts';
import { pino, type DestinationStream, type Logger } from 'pino';

/** ROCK's structured logger (pino). */
export type RockLogger = Logger;

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** `service` field on every line (`write`, `read`, `rocklet`, `local`). */
  service: string;
  /** pino level (`trace` … `fatal`, `silent`); from `RockConfig.log.level`. */
  level: string;
  /** Where lines go (default stdout); tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/** Secrets that must never reach a log line, wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'env',
  '*.env',
  'rocklet_token',
  '*.rocklet_token',
  'registry_password',
  '*.registry_password',
  'password',
  '*.password',
];

/** A JSON logger with ISO timestamps, the service name and secret redaction. */
export function createLogger(options: LoggerOptions): RockLogger {
  return pino(
    {
      level: options.level,
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}

/** Headers that carry a caller's request id, in order of preference (API.md §1). */
export const REQUEST_ID_HEADERS = [ROCK_HEADERS.requestId, ROCK_HEADERS.eagleeyeTraceId] as const;
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request id of an incoming request: `X-Request-Id`, else ROCK's `eagleeye-traceid`, else a
 * new uuid. Ids that are not short printable tokens are replaced, so logs cannot be forged.
 */
export function resolveRequestId(headers: Record<string, string | string[] | undefined>): string {
  for (const name of REQUEST_ID_HEADERS) {
    const raw = headers[name];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value && REQUEST_ID_PATTERN.test(value)) return value;
  }
  return randomUUID();
}

/** A child logger whose every line carries `request_id` (and any extra bindings). */
export function requestLogger(logger: RockLogger, requestId: string, bindings: Record<string, unknown> = {}): RockLogger {
  return logger.child({ request_id: requestId, ...bindings });
}
