import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
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
  registerPlainPost,
  sendFailure,
  setFailureMessage,
  type PlainPostRoute,
  type PlainRouteDoc,
} from '@rock/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROCK_CONFIG } from '../infra/write.tokens';
import { SandboxLifecycleService, type Requester } from './sandbox-lifecycle.service';

/** One create route: what it asks the lifecycle service for. */
type CreateCall = (request: SandboxStartRequest, requester: Requester) => Promise<SandboxStartResponse>;

const lifecycleTags = ['sandbox lifecycle'];

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

/**
 * `start` and `start_async` as plain Fastify routes on the host's instance: the Nest pipeline
 * (guard, interceptors, rxjs, response controller) cost about 0.3-0.5 ms CPU per create, a tenth
 * of the write service's whole share. Registered at init, so local mode gets them too.
 */
@Injectable()
export class StartRoutes implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    @Inject(ROCK_CONFIG) private readonly config: RockConfig,
    private readonly lifecycle: SandboxLifecycleService,
  ) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    for (const route of this.routes()) registerPlainPost(fastify, route);
  }

  routes(): StartRoute[] {
    const auth = this.config.auth;
    return [
      new StartRoute('start', {
        operationId: 'SandboxController_start',
        summary: 'Create a sandbox and answer once it runs (SandboxStartRequest → SandboxStartResponse)',
        tags: lifecycleTags,
      }, (request, requester) => this.lifecycle.start(request, requester), auth),
      new StartRoute('start_async', {
        operationId: 'SandboxController_startAsync',
        summary: 'Create a sandbox and answer at once with the pending record',
        tags: lifecycleTags,
      }, (request, requester) => this.lifecycle.startAsync(request, requester), auth),
    ];
  }
}
