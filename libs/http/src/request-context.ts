import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
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

/**
 * The route-level `message` of this route's Failed envelopes (API.md §1), e.g.
 * `@FailureMessage('start sandbox failed')`. Without it the filter uses `"<last path segment> failed"`.
 */
export const FailureMessage = (message: string): MethodDecorator & ClassDecorator =>
  SetMetadata(FAILURE_MESSAGE_KEY, message);

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

const requestOf = (ctx: ExecutionContext): FastifyRequest => ctx.switchToHttp().getRequest<FastifyRequest>();

/** Handler parameter: the request id. */
export const RequestId = createParamDecorator((_data: unknown, ctx: ExecutionContext) => requestIdOf(requestOf(ctx)));

/** Handler parameter: the authenticated principal ({@link ANONYMOUS_PRINCIPAL} without auth). */
export const Principal = createParamDecorator((_data: unknown, ctx: ExecutionContext) => principalOf(requestOf(ctx)));

/** Handler parameter: the lower-cased request headers. */
export const RequestHeaders = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext) => requestOf(ctx).headers as Record<string, string | string[] | undefined>,
);

/** Handler parameter: the request's pino child logger (carries `request_id`). */
export const RequestLog = createParamDecorator((_data: unknown, ctx: ExecutionContext) => requestOf(ctx).log);
