import {
  GEM_API_PREFIX,
  ResultCode,
  RockError,
  ROCK_HEADERS,
  toFailureEnvelope,
  toGemFailure,
  ValidationError,
  type HttpStatusHint,
} from '@rock/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { failureMessageOf, setOutcome } from './request-state';

/** Path prefixes whose errors are bare `{detail}` with a real HTTP status (API.md §4). */
export const DEFAULT_BARE_ERROR_PREFIXES: readonly string[] = [GEM_API_PREFIX];

/**
 * A framework-level error carrying an HTTP status: Nest's HttpException (`getStatus()`, matched by
 * shape so this module stays free of Nest, whose ESM build unit tests cannot load) or a Fastify
 * error (`statusCode`).
 */
interface StatusCarrier {
  statusCode?: number;
  message?: string;
  getStatus?: () => number;
}

function frameworkStatus(error: unknown): number | null {
  const carrier = error as StatusCarrier | null;
  if (typeof carrier?.getStatus === 'function') return carrier.getStatus();
  const status = carrier?.statusCode ?? null;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : null;
}

/**
 * Turns framework errors into ROCK's error family so one mapping answers everything: a body that is
 * not JSON or too large becomes a validation error; an unknown route a 404 `RockError`.
 */
export function normaliseError(error: unknown): unknown {
  if (error instanceof RockError || error instanceof ValidationError) return error;
  const status = frameworkStatus(error);
  if (status === null || status >= 500) return error;
  const message = (error as StatusCarrier).message ?? 'bad request';
  if (status === 404) return new RockError('route_not_found', ResultCode.BadRequest, 404, message);
  if (status === 401) return new RockError('unauthenticated', ResultCode.BadRequest, 401, message);
  return new ValidationError([`(body): ${message}`]);
}

function wantsHttpStatus(request: FastifyRequest): boolean {
  const raw = request.headers[ROCK_HEADERS.httpStatus];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().toLowerCase();
  return value === 'true' || value === '1';
}

function isBareRoute(request: FastifyRequest, prefixes: readonly string[]): boolean {
  const path = request.url.split('?')[0] ?? '';
  return prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** What to send for a failure. */
export interface FailureAnswer {
  statusCode: number;
  body: unknown;
  retryAfterSeconds?: number;
}

/**
 * The one error → response mapping of every ROCK HTTP service: sandbox routes answer the envelope
 * with HTTP 200 (or the matching status under `X-Rock-Http-Status: true`, API.md §1); bare routes
 * (GEM) answer `{detail}` with a real status. Unknown routes always get a real 404.
 */
export function failureAnswer(error: unknown, request: FastifyRequest, barePrefixes: readonly string[]): FailureAnswer {
  const normalised = normaliseError(error);
  const routeNotFound = normalised instanceof RockError && normalised.kind === 'route_not_found';
  const mapped = isBareRoute(request, barePrefixes)
    ? toGemFailure(normalised)
    : toFailureEnvelope(normalised, failureMessageOf(request));
  const realStatus = isBareRoute(request, barePrefixes) || wantsHttpStatus(request) || routeNotFound;
  const statusCode: HttpStatusHint = realStatus ? mapped.httpStatus : 200;
  setOutcome(request, mapped.httpStatus >= 500 ? 'error' : 'failed');
  return {
    statusCode,
    body: mapped.body,
    ...(realStatus && mapped.retryAfterSeconds !== undefined ? { retryAfterSeconds: mapped.retryAfterSeconds } : {}),
  };
}

/** Sends {@link failureAnswer}; logs unexpected (5xx) failures with their stack. */
export async function sendFailure(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  barePrefixes: readonly string[],
): Promise<void> {
  const answer = failureAnswer(error, request, barePrefixes);
  const normalised = normaliseError(error);
  const internal = !(normalised instanceof RockError) && !(normalised instanceof ValidationError);
  if (internal) request.log.error({ err: error }, 'request failed unexpectedly');
  if (answer.retryAfterSeconds !== undefined) reply.header('retry-after', String(answer.retryAfterSeconds));
  await reply.status(answer.statusCode).send(answer.body);
}
