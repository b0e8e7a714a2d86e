import type { HttpOutcome } from '@rock/observability';
import type { FastifyRequest } from 'fastify';

/**
 * Per-request facts the HTTP layer shares with handlers, the exception filter and the metrics hook.
 * Kept in WeakMaps keyed by the Fastify request so nothing leaks past the request's lifetime.
 */
const principals = new WeakMap<object, string>();
const failureMessages = new WeakMap<object, string>();
const outcomes = new WeakMap<object, HttpOutcome>();

/** Principal used when authentication is off (API.md §7: local mode enforces none). */
export const ANONYMOUS_PRINCIPAL = 'anonymous';

/** Metadata key of {@link FailureMessage}. */
export const FAILURE_MESSAGE_KEY = 'rock:failure-message';

/** Records who made the request (set by the API-key guard). */
export function setPrincipal(request: FastifyRequest, principal: string): void {
  principals.set(request, principal);
}

/** Who made the request: the API key's principal, or {@link ANONYMOUS_PRINCIPAL} without auth. */
export function principalOf(request: FastifyRequest): string {
  return principals.get(request) ?? ANONYMOUS_PRINCIPAL;
}

export function setFailureMessage(request: FastifyRequest, message: string): void {
  failureMessages.set(request, message);
}

/** The route's failure message, or `"<last path segment> failed"`. */
export function failureMessageOf(request: FastifyRequest): string {
  const known = failureMessages.get(request);
  if (known) return known;
  const segment = (request.url.split('?')[0] ?? '').split('/').filter(Boolean).pop() ?? 'request';
  return `${segment} failed`;
}

/** Marks how the request ended, for the HTTP duration metric (a Failed envelope is still HTTP 200). */
export function setOutcome(request: FastifyRequest, outcome: HttpOutcome): void {
  outcomes.set(request, outcome);
}

export function outcomeOf(request: FastifyRequest, statusCode: number): HttpOutcome {
  return outcomes.get(request) ?? (statusCode >= 500 ? 'error' : statusCode >= 400 ? 'failed' : 'success');
}

/** The request id (`X-Request-Id` / `eagleeye-traceid`, or generated): forward it to rocklet. */
export function requestIdOf(request: FastifyRequest): string {
  return String(request.id);
}

