import { Inject, Injectable } from '@nestjs/common';
import type { RockConfig } from '@rock/config';
import { parseOrThrow, SandboxNotFoundError, SandboxStartRequestSchema, type GemMakeRequest } from '@rock/contracts';
import { make as makeGemEnv } from '@rock/gem';
import type { RockLogger } from '@rock/observability';
import { ROCK_CONFIG, ROCK_LOGGER } from '../infra/write.tokens';
import { SandboxLifecycleService, type Requester } from '../sandbox/sandbox-lifecycle.service';
import { RockletEnvClient } from './rocklet-env.client';

/** Resources of a GEM sandbox: games are tiny. */
const GEM_SANDBOX = { memory: '256m', cpus: 0.5 };

/**
 * GEM make/close (API.md §4): one sandbox per env. The env id (and kwargs) are checked against
 * `@rock/gem`'s registry before anything is created, so an unknown id costs nothing and answers
 * 400 with close matches.
 */
@Injectable()
export class GemService {
  constructor(
    @Inject(ROCK_CONFIG) private readonly config: RockConfig,
    @Inject(ROCK_LOGGER) private readonly logger: RockLogger,
    private readonly lifecycle: SandboxLifecycleService,
    private readonly rocklet: RockletEnvClient,
  ) {}

  async make(request: GemMakeRequest, requester: Requester, requestId: string): Promise<{ sandbox_id: string }> {
    makeGemEnv(request.env_id, request.kwargs ?? {}, { dataDir: this.config.gem.dataDir ?? undefined });
    const start = parseOrThrow(SandboxStartRequestSchema, {
      image: this.config.gem.image,
      ...GEM_SANDBOX,
      metadata: { 'gem.env_id': request.env_id },
    });
    const started = await this.lifecycle.start(start, requester);
    const record = await this.lifecycle.owned(started.sandbox_id, requester.principal);
    try {
      if (!record?.rocklet_url) throw new SandboxNotFoundError(started.sandbox_id);
      await this.rocklet.make(
        { url: record.rocklet_url, token: record.rocklet_token ?? '', requestId },
        { env_id: request.env_id, seed: request.seed, kwargs: request.kwargs },
      );
    } catch (error) {
      await this.lifecycle.stop(started.sandbox_id, requester.principal, 'gem_close').catch((stopError: unknown) =>
        this.logger.warn({ err: stopError, sandbox_id: started.sandbox_id }, 'could not stop a GEM sandbox whose make failed'),
      );
      throw error;
    }
    return { sandbox_id: started.sandbox_id };
  }

  async close(sandboxId: string, principal: string, requestId: string): Promise<{ sandbox_id: string }> {
    const record = await this.lifecycle.owned(sandboxId, principal);
    if (!record || (record.state !== 'running' && record.state !== 'pending')) throw new SandboxNotFoundError(sandboxId);
    if (record.rocklet_url) {
      await this.rocklet.close({ url: record.rocklet_url, token: record.rocklet_token ?? '', requestId }).catch((error: unknown) =>
        this.logger.info({ err: error, sandbox_id: sandboxId }, 'rocklet env close failed; stopping the sandbox anyway'),
      );
    }
    await this.lifecycle.stop(sandboxId, principal, 'gem_close');
    return { sandbox_id: sandboxId };
  }
}
