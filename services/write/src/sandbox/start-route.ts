import type { RockConfig } from '@rock/config';
import {
  callerFromHeaders,
  parseOrThrow,
  ROUTE_FAILURE_MESSAGES,
  SANDBOX_API_PREFIX,
  SandboxStartRequestSchema,
  successEnvelope,
  type SandboxStartRequest,
  type SandboxStartResponse,
} from '@rock/contracts';
import {
  DEFAULT_BARE_ERROR_PREFIXES,
  principalFromHeaders,
  sendFailure,
  setFailureMessage,
  type PlainPostRoute,
  type PlainRouteDoc,
} from '@rock/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Requester } from './sandbox-lifecycle.service';

/** One create route: what it asks the lifecycle service for. */
export type CreateCall = (request: SandboxStartRequest, requester: Requester) => Promise<SandboxStartResponse>;

/**
 * One create route (`start` or `start_async`, API.md §2) outside Nest. The answers are the ones the
 * Nest controller gave: a refused key is checked before the route's failure message is set (so it
 * reads `"start failed"`, as the guard's did), then `"start sandbox failed"` for every failure the
 * route itself raises; validation, admission, duplicate, start-failed and deadline errors go through
 * the one mapping ({@link sendFailure}); bodies Fastify refuses are answered as the Nest error handler did.
 */
export class StartRoute implements PlainPostRoute {
  readonly url: string;

  constructor(
    private readonly route: 'start' | 'start_async',
    readonly doc: PlainRouteDoc,
    private readonly create: CreateCall,
    private readonly auth: RockConfig['auth'],
  ) {
    this.url = `${SANDBOX_API_PREFIX}/${route}`;
  }

  async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const principal = principalFromHeaders(request.headers, this.auth);
    setFailureMessage(request, ROUTE_FAILURE_MESSAGES[this.route]);
    const input = parseOrThrow(SandboxStartRequestSchema, request.body);
    const result = await this.create(input, { caller: callerFromHeaders(request.headers), principal });
    await reply.send(successEnvelope(result));
  }

  fail(error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    return sendFailure(error, request, reply, DEFAULT_BARE_ERROR_PREFIXES);
  }
}

