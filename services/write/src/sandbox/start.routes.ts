import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { RockConfig } from '@rock/config';
import { registerPlainPost } from '@rock/http';
import type { FastifyInstance } from 'fastify';
import { ROCK_CONFIG } from '../infra/write.tokens';
import { SandboxLifecycleService } from './sandbox-lifecycle.service';
import { StartRoute } from './start-route';

const lifecycleTags = ['sandbox lifecycle'];

/**
 * `start` and `start_async` as plain Fastify routes on the host's instance, skipping the Nest
 * pipeline (guard, interceptor, rxjs, response controller): 0.15-0.2 ms less CPU per create
 * (create-intake.bench.mjs, bench/RESULTS.md). Registered at init, so local mode gets them too.
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
