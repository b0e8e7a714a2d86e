import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { principalOf, requestIdOf } from '@rock/http';
import type { FastifyRequest } from 'fastify';
import type { Caller } from './sandbox-access';

/** Handler parameter: the request's principal and request id. */
export const CallerOf = createParamDecorator((_data: unknown, ctx: ExecutionContext): Caller => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  return { principal: principalOf(request), requestId: requestIdOf(request) };
});
