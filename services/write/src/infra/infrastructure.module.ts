import { Global, Inject, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { RockConfig } from '@rock/config';
import { resolveServiceShared } from '@rock/http';
import { RockMetrics, type RockLogger } from '@rock/observability';
import { SandboxRegistry } from '@rock/registry';
import type { SandboxRuntime } from '@rock/runtime';
import { LifecycleQueueRepository } from './lifecycle-queue.repository';
import { MetricsRefresher } from './metrics-refresher';
import { runtimeFromConfig } from './runtime.factory';
import { ROCK_CONFIG, ROCK_LOGGER, ROCK_METRICS, SANDBOX_REGISTRY, SANDBOX_RUNTIME } from './write.tokens';

/** Objects a host process may share with the write module (local mode composes write + read). */
export interface WriteShared {
  logger?: RockLogger;
  metrics?: RockMetrics;
  registry?: SandboxRegistry;
}

/**
 * Starts the runtime's background work at boot (the local warm pool: stale pooled rocklets of a
 * crashed predecessor removed, refill begun); closes the registry and runtime this module opened
 * (the warm pool drained) after the worker and queue are closed.
 */
class InfrastructureCloser implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(SANDBOX_REGISTRY) private readonly registry: SandboxRegistry,
    @Inject(SANDBOX_RUNTIME) private readonly runtime: SandboxRuntime,
    private readonly ownsRegistry: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.start?.();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close();
    if (this.ownsRegistry) await this.registry.close();
  }
}

/**
 * The write service's repositories (STYLE §2): registry (Redis), lifecycle queue (BullMQ),
 * runtime driver (Docker/local), metrics and logger, all built from one {@link RockConfig}.
 */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(config: RockConfig, shared: WriteShared = {}): DynamicModule {
    const { logger, metrics, registry } = resolveServiceShared('write', config, shared);
    const runtime = runtimeFromConfig(config, logger, metrics);
    return {
      module: InfrastructureModule,
      providers: [
        { provide: ROCK_CONFIG, useValue: config },
        { provide: ROCK_LOGGER, useValue: logger },
        { provide: ROCK_METRICS, useValue: metrics },
        { provide: SANDBOX_REGISTRY, useValue: registry },
        { provide: SANDBOX_RUNTIME, useValue: runtime },
        LifecycleQueueRepository,
        MetricsRefresher,
        {
          provide: InfrastructureCloser,
          useFactory: () => new InfrastructureCloser(registry, runtime, shared.registry === undefined),
        },
      ],
      exports: [ROCK_CONFIG, ROCK_LOGGER, ROCK_METRICS, SANDBOX_REGISTRY, SANDBOX_RUNTIME, LifecycleQueueRepository],
    };
  }
}
