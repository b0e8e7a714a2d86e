import { Inject, Injectable } from '@nestjs/common';
import type { RockConfig } from '@rock/config';
import {
  AdmissionRejectedError,
  applyServerDefaults,
  DeadlineExceededError,
  failedPhase,
  SandboxAlreadyExistsError,
  SandboxNotFoundError,
  SandboxStartFailedError,
  withPhase,
  type CallerContext,
  type SandboxStartRequest,
  type SandboxStartResponse,
} from '@rock/contracts';
import type { RockMetrics } from '@rock/observability';
import { describeRejection, newSandboxRecord, toStartResponse, type AdmissionLimits, type SandboxRecord, type SandboxRegistry } from '@rock/registry';
import type { SandboxRuntime } from '@rock/runtime';
import { randomBytes } from 'node:crypto';
import { LifecycleQueueRepository } from '../infra/lifecycle-queue.repository';
import { ROCK_CONFIG, ROCK_METRICS, SANDBOX_REGISTRY, SANDBOX_RUNTIME } from '../infra/write.tokens';
import type { DestroyReason } from '../lifecycle/lifecycle.jobs';

/** Who asks: the create-time headers and the authenticated principal. */
export interface Requester {
  caller: CallerContext;
  principal: string;
}

/** Creates waiting in the queue beyond which admission refuses (the queue never grows without bound). */
const MAX_CREATE_BACKLOG = 1000;
/** How long `stop` waits for the destroy job before answering. */
const STOP_WAIT_MS = 60_000;
/** Slack on top of the startup timeout for the create job to publish its final state. */
const START_WAIT_SLACK_MS = 5_000;

/**
 * Sandbox create/stop/delete (API.md §2): validate → admit (registry script: caps, quotas,
 * duplicates) → record `pending` → `create` job; `start` waits for the record's event.
 */
@Injectable()
export class SandboxLifecycleService {
  constructor(
    @Inject(ROCK_CONFIG) private readonly config: RockConfig,
    @Inject(SANDBOX_REGISTRY) private readonly registry: SandboxRegistry,
    @Inject(SANDBOX_RUNTIME) private readonly runtime: SandboxRuntime,
    @Inject(ROCK_METRICS) private readonly metrics: RockMetrics,
    private readonly queue: LifecycleQueueRepository,
  ) {}

  /** `start_async`: admitted and queued; answers with the `pending` record. */
  async startAsync(request: SandboxStartRequest, requester: Requester): Promise<SandboxStartResponse> {
    return toStartResponse(await this.admitAndEnqueue(request, requester));
  }

  /** `start`: answers once `running`, or fails with the failed phase's message. */
  async start(request: SandboxStartRequest, requester: Requester): Promise<SandboxStartResponse> {
    const record = await this.admitAndEnqueue(request, requester);
    return toStartResponse(await this.awaitRunning(record, true));
  }

  /**
   * Waits for a pending record to run; throws the failed phase's message when it stopped.
   * `justWritten`: the caller enqueued its create with no I/O since, so `record` is current and
   * the wait skips its first read.
   */
  async awaitRunning(record: SandboxRecord, justWritten = false): Promise<SandboxRecord> {
    const timeoutMs = record.startup_timeout * 1000 + START_WAIT_SLACK_MS;
    const known = justWritten ? record : undefined;
    const waited = await this.registry.waitForState(record.sandbox_id, ['running', 'stopped', 'deleted'], { timeoutMs, known });
    if (!waited.ok && waited.reason === 'not_found') throw new SandboxNotFoundError(record.sandbox_id);
    if (!waited.ok) {
      throw new DeadlineExceededError(`Sandbox ${record.sandbox_id} did not start within ${record.startup_timeout}s`);
    }
    const done = waited.record;
    if (done.state === 'running') return done;
    const failed = failedPhase(done.status);
    const reason = done.failure_reason || failed?.message || `sandbox ${done.sandbox_id} stopped before it ran`;
    throw new SandboxStartFailedError(done.sandbox_id, failed?.phase ?? 'queued', failed ? `${failed.phase}: ${reason}` : reason);
  }

  private async admitAndEnqueue(request: SandboxStartRequest, requester: Requester): Promise<SandboxRecord> {
    await this.refuseOnBacklog();
    const resolved = applyServerDefaults(request, {
      autoClearMinutes: this.config.sandbox.defaultAutoClearMinutes,
      startupTimeoutSeconds: this.config.sandbox.defaultStartupTimeoutSeconds,
    });
    const record = newSandboxRecord(resolved, {
      caller: requester.caller,
      owner: requester.principal,
      runtime: this.runtime.name,
      rockletToken: randomBytes(24).toString('hex'),
      nowMs: Date.now(),
    });
    record.status = withPhase(record.status, 'queued', 'running', '', record.create_ms);
    const created = await this.registry.create(record, this.admissionLimits());
    if (!created.ok && created.reason === 'exists') throw new SandboxAlreadyExistsError(record.sandbox_id);
    if (!created.ok) {
      this.metrics.recordAdmissionRejection(created.limit);
      throw new AdmissionRejectedError(created.limit, describeRejection(created.limit, created.current, created.max));
    }
    try {
      await this.queue.enqueueCreate(record.sandbox_id, record.create_ms);
    } catch (error) {
      await this.registry.purge(record.sandbox_id);
      throw error;
    }
    return record;
  }

  private async refuseOnBacklog(): Promise<void> {
    const backlog = await this.queue.recentBacklog();
    if (backlog < MAX_CREATE_BACKLOG) return;
    this.metrics.recordAdmissionRejection('queue_backlog');
    throw new AdmissionRejectedError('queue_backlog', `lifecycle queue is full: ${backlog} jobs waiting; retry later`);
  }

  /** Built once: the registry keys its encoded caps by this object. */
  private limits: AdmissionLimits | null = null;

  private admissionLimits(): AdmissionLimits {
    return (this.limits ??= this.buildAdmissionLimits());
  }

  private buildAdmissionLimits(): AdmissionLimits {
    const a = this.config.admission;
    return {
      maxSandboxes: a.maxSandboxes,
      maxCpus: a.maxCpus,
      maxMemoryBytes: a.maxMemoryBytes,
      perPrincipal: {
        maxSandboxes: a.perPrincipal.maxSandboxes,
        maxCpus: a.perPrincipal.maxCpus,
        maxMemoryBytes: a.perPrincipal.maxMemoryBytes,
        createsPerMinute: a.perPrincipal.createsPerMinute,
      },
    };
  }

  /** The requester's record, or not found (another principal's sandbox looks absent, API.md §7). */
  async owned(sandboxId: string, principal: string): Promise<SandboxRecord | null> {
    const record = await this.registry.get(sandboxId);
    return record && record.owner === principal ? record : null;
  }

  /** `stop`: idempotent; waits until the resource is gone and the record `stopped`. */
  async stop(sandboxId: string, principal: string, reason: DestroyReason = 'stop'): Promise<string> {
    const record = await this.owned(sandboxId, principal);
    if (!record) throw new SandboxNotFoundError(sandboxId);
    await this.stopRecord(record, reason);
    return `${sandboxId} stopped`;
  }

  private async stopRecord(record: SandboxRecord, reason: DestroyReason): Promise<void> {
    if (record.state !== 'pending' && record.state !== 'running') return;
    await this.queue.enqueueDestroy(record.sandbox_id, record.create_ms, reason);
    const waited = await this.registry.waitForState(record.sandbox_id, ['stopped', 'deleted'], { timeoutMs: STOP_WAIT_MS });
    if (!waited.ok && waited.reason === 'timeout') {
      throw new DeadlineExceededError(`Sandbox ${record.sandbox_id} did not stop within ${STOP_WAIT_MS / 1000}s`);
    }
  }

  /** `delete`: stops a live sandbox first; an unknown id is a no-op. */
  async delete(sandboxId: string, principal: string): Promise<string> {
    const record = await this.owned(sandboxId, principal);
    if (!record) return `${sandboxId} deleted`;
    await this.stopRecord(record, 'delete');
    await this.registry.transition(sandboxId, 'stopped', 'deleted', 'delete');
    return `${sandboxId} deleted`;
  }
}
