import { Global, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { RockConfig } from '@rock/config';
import { resolveServiceShared } from '@rock/http';
import { RockMetrics, type RockLogger } from '@rock/observability';
import { SandboxRegistry } from '@rock/registry';
import { RockletClient } from '../rocklet/rocklet.client';
import { SandboxDirectory } from './sandbox-directory';
import { READ_CONFIG, READ_LOGGER, READ_METRICS, READ_REGISTRY } from './read.tokens';

/** Objects a host process may share with the read module (local mode composes write + read). */
export interface ReadShared {
  logger?: RockLogger;
  metrics?: RockMetrics;
  registry?: SandboxRegistry;
}

/** Starts the directory's event subscription; closes what this module opened. */
class ReadLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly directory: SandboxDirectory,
    private readonly rocklets: RockletClient,
    private readonly registry: SandboxRegistry,
    private readonly ownsRegistry: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.directory.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.directory.close();
    await this.rocklets.close();
    if (this.ownsRegistry) await this.registry.close();
  }
}

/**
 * The read service's repositories (STYLE §2): registry (Redis) behind the cached
 * {@link SandboxDirectory}, the pooled {@link RockletClient}, metrics and logger.
 */
@Global()
@Module({})
export class ReadInfrastructureModule {
  static forRoot(config: RockConfig, shared: ReadShared = {}): DynamicModule {
    const { logger, metrics, registry } = resolveServiceShared('read', config, shared);
    const directory = new SandboxDirectory(registry, logger, {
      cacheTtlMs: config.registry.cacheTtlMs,
      enforceOwnership: config.auth.enabled,
      onCacheLookup: (hit) => metrics.recordCacheLookup(hit),
    });
    const rocklets = new RockletClient({
      connectTimeoutMs: config.runtime.rockletConnectTimeoutMs,
      observe: (operation, outcome, seconds) => metrics.observeRockletCall(operation, outcome, seconds),
    });
    return {
      module: ReadInfrastructureModule,
      providers: [
        { provide: READ_CONFIG, useValue: config },
        { provide: READ_LOGGER, useValue: logger },
        { provide: READ_METRICS, useValue: metrics },
        { provide: READ_REGISTRY, useValue: registry },
        { provide: SandboxDirectory, useValue: directory },
        { provide: RockletClient, useValue: rocklets },
        { provide: ReadLifecycle, useFactory: () => new ReadLifecycle(directory, rocklets, registry, shared.registry === undefined) },
      ],
      exports: [READ_CONFIG, READ_LOGGER, READ_METRICS, READ_REGISTRY, SandboxDirectory, RockletClient],
    };
  }
}
