import { Inject, Injectable } from '@nestjs/common';
import type { RockLogger, RockMetrics } from '@rock/observability';
import type { SandboxRegistry } from '@rock/registry';
import type { SandboxRuntime } from '@rock/runtime';
import { ROCK_LOGGER, ROCK_METRICS, SANDBOX_REGISTRY, SANDBOX_RUNTIME } from '../infra/write.tokens';
import { InflightCreates } from './inflight-creates';
import type { DestroyJobData } from './lifecycle.jobs';

/**
 * The destroy job: abort a create this process is running, remove the runtime resource
 * (idempotent), then move the record to `stopped` (which drops it from the alive and expiry sets).
 * Runtime errors propagate so BullMQ retries with backoff; the record stays live until removal
 * really happened, so it never claims `stopped` over a running container.
 */
@Injectable()
export class DestroyJobHandler {
  constructor(
    @Inject(SANDBOX_REGISTRY) private readonly registry: SandboxRegistry,
    @Inject(SANDBOX_RUNTIME) private readonly runtime: SandboxRuntime,
    @Inject(ROCK_LOGGER) private readonly logger: RockLogger,
    @Inject(ROCK_METRICS) private readonly metrics: RockMetrics,
    private readonly inflight: InflightCreates,
  ) {}

  async run(data: DestroyJobData): Promise<'stopped' | 'skipped'> {
    const { sandboxId, incarnation, reason } = data;
    const record = await this.registry.get(sandboxId);
    if (record && record.create_ms !== incarnation) return 'skipped';
    this.inflight.abort(sandboxId);
    await this.runtime.destroy(sandboxId);
    if (!record) return 'skipped';
    const patch = reason === 'idle' || reason === 'startup_timeout' ? { failure_reason: reasonText(reason) } : {};
    const moved = await this.registry.transition(sandboxId, ['pending', 'running'], 'stopped', reason, patch);
    if (!moved.ok) return 'skipped';
    this.logger.info({ sandbox_id: sandboxId, reason }, 'sandbox stopped');
    if (reason === 'idle') this.metrics.recordReaperAction('idle');
    if (reason === 'startup_timeout') this.metrics.recordReconcilerAction('fail_pending', 'startup_timeout');
    return 'stopped';
  }
}

function reasonText(reason: 'idle' | 'startup_timeout'): string {
  return reason === 'idle' ? 'idle timeout: no calls within auto_clear_time' : 'startup timeout';
}
