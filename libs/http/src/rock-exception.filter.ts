import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendFailure } from './failure-reply';

/**
 * Global filter: every error a handler, guard or pipe throws becomes ROCK's envelope (or `{detail}`
 * on bare routes) through {@link sendFailure}; nothing else builds failure bodies (STYLE §5).
 */
@Catch()
export class RockExceptionFilter implements ExceptionFilter {
  constructor(private readonly barePrefixes: readonly string[]) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendFailure(error, request, reply, this.barePrefixes).catch((sendError: unknown) => {
      request.log.error({ err: sendError }, 'could not send the failure response');
    });
  }
}
