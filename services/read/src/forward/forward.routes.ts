import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { RockConfig } from '@rock/config';
import { failedEnvelope, parseOrThrow, RockletCallError } from '@rock/contracts';
import { registerPlainPost, requestIdOf, sendFailure, setFailureMessage, setOutcome } from '@rock/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { principalFromHeaders, type RawAuth } from '../infra/raw-route-support';
import { READ_CONFIG } from '../infra/read.tokens';
import { SandboxAccess } from '../infra/sandbox-access';
import { RockletClient } from '../rocklet/rocklet.client';
import { bareBytes, JSON_CONTENT_TYPE, successEnvelopeBytes } from './forward-reply';
import { FORWARD_SPECS, type ForwardSpec } from './forward-specs';

/**
 * One hot route: auth, validation, registry lookup (cached) and a coalesced idle touch, one
 * pooled rocklet call, and the rocklet's bytes answered unchanged. Failures take the same
 * mapping as every Nest route ({@link sendFailure}), so answers are identical to the controllers'.
 */
export class ForwardRoute {
  private readonly barePrefixes: readonly string[];

  constructor(
    private readonly spec: ForwardSpec,
    private readonly access: SandboxAccess,
    private readonly rocklets: RockletClient,
    private readonly auth: RawAuth,
  ) {
    this.barePrefixes = spec.failureMessage === null ? [spec.url] : [];
  }

  async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const spec = this.spec;
    try {
      const principal = principalFromHeaders(request.headers, this.auth);
      const input = parseOrThrow(spec.schema, request.body);
      const caller = { principal, requestId: requestIdOf(request) };
      const { record, target } = await this.access.running(input.sandbox_id, caller, spec.action);
      const answer = await this.rocklets.forward(target, {
        operation: spec.operation, method: 'POST', path: spec.rockletPath,
        json: spec.body(input, record), timeoutMs: spec.timeoutMs(input),
      });
      const bytes = spec.failureMessage === null ? bareBytes(answer.body) : successEnvelopeBytes(answer.body);
      await reply.type(JSON_CONTENT_TYPE).send(bytes);
    } catch (error) {
      await this.fail(error, request, reply);
    }
  }

  /** Also the route's Fastify error handler (bodies that are not JSON, too large, wrong type). */
  async fail(error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const message = this.spec.failureMessage;
    if (this.spec.rockletErrorsAsNullResult && message !== null && error instanceof RockletCallError) {
      setOutcome(request, 'failed');
      request.log.info({ error: error.message }, `${this.spec.operation} failed`);
      await reply.type(JSON_CONTENT_TYPE).send(JSON.stringify(failedEnvelope(message, error.message, null)));
      return;
    }
    if (message !== null) setFailureMessage(request, message);
    await sendFailure(error, request, reply, this.barePrefixes);
  }

  /** Registers the route on `fastify`, documented for `/docs`. */
  register(fastify: FastifyInstance): void {
    registerPlainPost(fastify, {
      url: this.spec.url,
      doc: this.spec.doc,
      handle: (request, reply) => this.handle(request, reply),
      fail: (error, request, reply) => this.fail(error, request, reply),
    });
  }
}

/**
 * The read service's hot routes (execute, the session routes, GEM reset/step) as plain Fastify
 * routes: the Nest pipeline (guards, interceptors, pipes, rxjs) costs more CPU per call than the
 * forwarding itself. Registered on the host's Fastify instance at init, so local mode gets them.
 */
@Injectable()
export class ForwardRoutes implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    @Inject(READ_CONFIG) private readonly config: RockConfig,
    @Inject(SandboxAccess) private readonly access: SandboxAccess,
    @Inject(RockletClient) private readonly rocklets: RockletClient,
  ) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    for (const spec of FORWARD_SPECS) new ForwardRoute(spec, this.access, this.rocklets, this.config.auth).register(fastify);
  }
}
