import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { FAILURE_MESSAGE_KEY, setFailureMessage } from './request-state';

/** Copies a route's {@link FailureMessage} onto the request so the exception filter can use it. */
@Injectable()
export class FailureMessageInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const message = this.reflector.getAllAndOverride<string | undefined>(FAILURE_MESSAGE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (message) setFailureMessage(context.switchToHttp().getRequest<FastifyRequest>(), message);
    return next.handle();
  }
}
