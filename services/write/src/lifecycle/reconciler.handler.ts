import { Inject, Injectable } from '@nestjs/common';
import type { RockLogger, RockMetrics } from '@rock/observability';
import type { SandboxRecord, SandboxRegistry } from '@rock/registry';
import type { RuntimeResource, SandboxRuntime } from '@rock/runtime';
import { LifecycleQueueRepository } from '../infra/lifecycle-queue.repository';
import { ROCK_LOGGER, ROCK_METRICS, SANDBOX_REGISTRY, SANDBOX_RUNTIME } from '../infra/write.tokens';

/** Extra time past a pending sandbox's own startup timeout before the reconciler fails it. */
const PENDING_GRACE_MS = 5000;
/** Younger resources may belong to a create whose record this tick's snapshot predates. */
const ORPHAN_MIN_AGE_MS = 2_000;

/** What one reconcile tick changed. */
export interface ReconcileReport {
  orphansDestroyed: string[];
  lost: string[];
  pendingTimedOut: string[];
}

/**
 * The reconciler tick (ARCHITECTURE §2 invariants): labelled resources without a live record are
 * destroyed; running records whose resource vanished (or exited) become `stopped` with reason
 * `lost`; pending records past their startup timeout are failed and cleaned.
 */
@Injectable()
export class ReconcilerJobHandler {
  constructor(
    @Inject(SANDBOX_REGISTRY) private readonly registry: SandboxRegistry,
    @Inject(SANDBOX_RUNTIME) private readonly runtime: SandboxRuntime,
    @Inject(ROCK_METRICS) private readonly metrics: RockMetrics,
    @Inject(ROCK_LOGGER) private readonly logger: RockLogger,
    private readonly queue: LifecycleQueueRepository,
  ) {}

  async run(nowMs = Date.now()): Promise<ReconcileReport> {
    // Resources first, records second: a sandbox created in between has a record, never the reverse.
    const resources = await this.runtime.list();
    const ids = await this.registry.aliveIds();
    const records = (await this.registry.getMany(ids)).filter((r): r is SandboxRecord => r !== null);
    const live = new Map(records.map((r) => [r.sandbox_id, r]));
    const report: ReconcileReport = {
      orphansDestroyed: await this.destroyOrphans(resources, live, nowMs),
      lost: await this.markLost(resources, records),
      pendingTimedOut: await this.failStuckPending(nowMs),
    };
    await this.registry.recomputeTotals();
    const changed = report.orphansDestroyed.length + report.lost.length + report.pendingTimedOut.length;
    if (changed > 0) this.logger.info({ ...report }, 'reconciler corrected the registry/runtime');
    return report;
  }

  private async destroyOrphans(resources: RuntimeResource[], live: Map<string, SandboxRecord>, nowMs: number): Promise<string[]> {
    const orphans = resources.filter((r) => !live.has(r.sandboxId) && nowMs - r.createdAt.getTime() >= ORPHAN_MIN_AGE_MS);
    for (const orphan of orphans) await this.runtime.destroy(orphan.sandboxId);
    if (orphans.length > 0) this.metrics.recordReconcilerAction('destroy', 'orphan', orphans.length);
    return orphans.map((o) => o.sandboxId);
  }

  private async markLost(resources: RuntimeResource[], records: SandboxRecord[]): Promise<string[]> {
    const present = new Map(resources.map((r) => [r.sandboxId, r]));
    const lost: string[] = [];
    for (const record of records) {
      if (record.state !== 'running' || present.get(record.sandbox_id)?.running) continue;
      // Look again before declaring it lost: present but stopped may be a restart in progress, and
      // absent may be a create that finished between the resource listing and the record read.
      if ((await this.runtime.inspect(record.sandbox_id))?.running) continue;
      await this.runtime.destroy(record.sandbox_id);
      const moved = await this.registry.transition(record.sandbox_id, 'running', 'stopped', 'lost', { failure_reason: 'lost' });
      if (moved.ok) lost.push(record.sandbox_id);
    }
    if (lost.length > 0) this.metrics.recordReconcilerAction('mark_stopped', 'lost', lost.length);
    return lost;
  }

  private async failStuckPending(nowMs: number): Promise<string[]> {
    const stuck = await this.registry.pendingPastStartupTimeout(nowMs, PENDING_GRACE_MS);
    const records = await this.registry.getMany(stuck);
    for (const record of records) {
      if (record) await this.queue.enqueueDestroy(record.sandbox_id, record.create_ms, 'startup_timeout');
    }
    return stuck;
  }
}
