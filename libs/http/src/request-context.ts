import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { FAILURE_MESSAGE_KEY, principalOf, requestIdOf } from './request-state';

/**
 * The route-level `message` of this route's Failed envelopes (API.md §1), e.g.
 * `@FailureMessage('start sandbox failed')`. Without it the filter uses `"<last path segment> failed"`.
 */
export const FailureMessage = (message: string): MethodDecorator & ClassDecorator =>
  SetMetadata(FAILURE_MESSAGE_KEY, message);

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
