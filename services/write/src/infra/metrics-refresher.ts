import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { RockLogger, RockMetrics } from '@rock/observability';
import type { SandboxRegistry } from '@rock/registry';
import { LifecycleQueueRepository } from './lifecycle-queue.repository';
import { ROCK_LOGGER, ROCK_METRICS, SANDBOX_REGISTRY } from './write.tokens';

/** How often the gauges (sandboxes by state/runtime, queue depth, requested capacity) are refreshed. */
const REFRESH_INTERVAL_MS = 5000;

/** Keeps the registry- and queue-derived gauges current in this replica's `/metrics`. */
@Injectable()
export class MetricsRefresher implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @Inject(SANDBOX_REGISTRY) private readonly registry: SandboxRegistry,
    @Inject(ROCK_METRICS) private readonly metrics: RockMetrics,
    @Inject(ROCK_LOGGER) private readonly logger: RockLogger,
    private readonly queue: LifecycleQueueRepository,
  ) {}

  onApplicationBootstrap(): void {
    const tick = (): void => {
      this.running ??= this.refresh()
        .catch((error: unknown) => this.logger.debug({ err: error }, 'metrics refresh failed'))
        .finally(() => {
          this.running = null;
        });
    };
    tick();
    this.timer = setInterval(tick, REFRESH_INTERVAL_MS);
    this.timer.unref();
  }

  async refresh(): Promise<void> {
    this.metrics.setSandboxCounts(await this.registry.countLive());
    this.metrics.setQueueDepth(this.queue.name, await this.queue.depth());
    const totals = await this.registry.liveTotals();
    this.metrics.setCapacity({
      requestedCpus: totals.cpus,
      requestedMemoryBytes: totals.memoryBytes,
      allocatableCpus: null,
      allocatableMemoryBytes: null,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
