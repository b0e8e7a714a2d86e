import { Inject, Injectable } from '@nestjs/common';
import type { SandboxRegistry } from '@rock/registry';
import { LifecycleQueueRepository } from '../infra/lifecycle-queue.repository';
import { SANDBOX_REGISTRY } from '../infra/write.tokens';

/** Sandboxes examined per reaper tick; the rest wait for the next tick. */
const REAP_BATCH = 500;

/**
 * The reaper tick: every live sandbox whose idle deadline (the expiry set, slid forward by the read
 * service's `touch` on every call) has passed gets a `destroy` job with reason `idle` (ticks repeat
 * until it ran; the job id collapses them, and the destroy handler counts the reap once).
 */
@Injectable()
export class ReaperJobHandler {
  constructor(
    @Inject(SANDBOX_REGISTRY) private readonly registry: SandboxRegistry,
    private readonly queue: LifecycleQueueRepository,
  ) {}

  async run(nowMs = Date.now()): Promise<number> {
    const due = await this.registry.dueForExpiry(nowMs, REAP_BATCH);
    const records = await this.registry.getMany(due);
    let reaped = 0;
    for (const record of records) {
      if (!record || record.state !== 'running') continue;
      await this.queue.enqueueDestroy(record.sandbox_id, record.create_ms, 'idle');
      reaped += 1;
    }
    return reaped;
  }
}
