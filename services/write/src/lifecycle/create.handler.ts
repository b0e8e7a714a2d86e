import { Inject, Injectable } from '@nestjs/common';
import type { StartPhase } from '@rock/contracts';
import type { RockLogger, RockMetrics } from '@rock/observability';
import type { SandboxRecord, SandboxRegistry } from '@rock/registry';
import { isRuntimeError, RuntimeError, type RuntimeHandle, type SandboxRuntime, type SandboxSpec } from '@rock/runtime';
import { ROCK_LOGGER, ROCK_METRICS, SANDBOX_REGISTRY, SANDBOX_RUNTIME } from '../infra/write.tokens';
import { InflightCreates } from './inflight-creates';
import type { CreateJobData } from './lifecycle.jobs';
import { PhaseTracker } from './phase-tracker';
import { numericPortMapping } from './port-mapping';

/** How one create attempt ended, for the processor (retry or not). */
export type CreateOutcome = 'running' | 'failed' | 'skipped' | 'retry';

/** One create attempt's context from the queue. */
export interface CreateAttempt {
  data: CreateJobData;
  /** Attempts started so far, this one included (a stalled job counts too). */
  attemptsStarted: number;
  maxAttempts: number;
}

/** The create job: runtime.create with phases mirrored into the record, then `running` or `stopped`. */
@Injectable()
export class CreateJobHandler {
  constructor(
    @Inject(SANDBOX_REGISTRY) private readonly registry: SandboxRegistry,
    @Inject(SANDBOX_RUNTIME) private readonly runtime: SandboxRuntime,
    @Inject(ROCK_METRICS) private readonly metrics: RockMetrics,
    @Inject(ROCK_LOGGER) private readonly logger: RockLogger,
    private readonly inflight: InflightCreates,
  ) {}

  /**
   * Runs one attempt. Returns `retry` (after logging) for a transient failure with attempts and
   * startup budget left; the processor then throws so BullMQ retries with backoff.
   */
  async run(attempt: CreateAttempt): Promise<{ outcome: CreateOutcome; error?: RuntimeError }> {
    const { sandboxId, incarnation } = attempt.data;
    // A first attempt usually runs in the process that admitted it and starts from that record.
    const record = attempt.attemptsStarted > 1 ? await this.registry.get(sandboxId) : await this.registry.getCreated(sandboxId, incarnation);
    if (!record || record.state !== 'pending' || record.create_ms !== incarnation) return { outcome: 'skipped' };
    const budgetMs = record.create_ms + record.startup_timeout * 1000 - Date.now();
    const tracker = new PhaseTracker(sandboxId, record.status, this.registry, this.metrics, (error) =>
      this.logger.warn({ err: error, sandbox_id: sandboxId }, 'phase update failed'),
    );
    if (record.status.queued.status !== 'success') tracker.set('queued', 'success');
    if (budgetMs <= 0) return this.fail(record, tracker, startupBudgetSpent(record));
    if (attempt.attemptsStarted > 1) await this.runtime.destroy(sandboxId);
    const controller = this.inflight.start(sandboxId);
    try {
      const handle = await this.runtime.create(toSpec(record, budgetMs), {
        signal: controller.signal,
        onPhase: (update) => tracker.set(update.phase, update.status, update.message, update.at.getTime()),
      });
      return await this.succeed(record, tracker, handle);
    } catch (error) {
      const failure = asRuntimeError(error);
      const budgetLeft = record.create_ms + record.startup_timeout * 1000 - Date.now() > 1000;
      if (failure.transient && budgetLeft && attempt.attemptsStarted < attempt.maxAttempts) {
        this.logger.warn({ sandbox_id: sandboxId, err: failure }, 'transient create failure; will retry');
        await tracker.flush();
        return { outcome: 'retry', error: failure };
      }
      return await this.fail(record, tracker, failure);
    } finally {
      this.inflight.finish(sandboxId, controller);
    }
  }

  private async succeed(record: SandboxRecord, tracker: PhaseTracker, handle: RuntimeHandle): Promise<{ outcome: CreateOutcome }> {
    // The transition writes the final phase map; only a write already in flight must land first.
    await tracker.settle();
    const moved = await this.registry.transition(record.sandbox_id, 'pending', 'running', 'started', {
      status: tracker.current,
      host_ip: handle.hostIp,
      host_name: handle.hostName,
      port_mapping: numericPortMapping(handle.portMapping),
      rocklet_url: handle.rockletUrl,
      resource_id: handle.resourceId,
      // A pre-started (warm-pool) rocklet was booted with its own token before this record existed.
      ...(handle.rockletToken ? { rocklet_token: handle.rockletToken } : {}),
    });
    if (!moved.ok) {
      // Stopped (or purged) while starting: the resource has no live record, remove it now.
      await this.runtime.destroy(record.sandbox_id);
      return { outcome: 'skipped' };
    }
    this.metrics.observeStartup(record.runtime, 'success', (Date.now() - record.create_ms) / 1000);
    return { outcome: 'running' };
  }

  private async fail(record: SandboxRecord, tracker: PhaseTracker, failure: RuntimeError): Promise<{ outcome: CreateOutcome; error: RuntimeError }> {
    const phase: StartPhase = failure.phase ?? 'queued';
    if (tracker.current[phase].status !== 'failed' && tracker.current[phase].status !== 'timeout') {
      tracker.set(phase, failure.code === 'STARTUP_TIMEOUT' ? 'timeout' : 'failed', failure.message);
    }
    await tracker.settle();
    await this.runtime.destroy(record.sandbox_id).catch((error: unknown) =>
      this.logger.warn({ err: error, sandbox_id: record.sandbox_id }, 'cleanup after a failed create failed'),
    );
    await this.registry.transition(record.sandbox_id, 'pending', 'stopped', 'start_failed', {
      status: tracker.current,
      failure_reason: failure.message,
    });
    this.metrics.observeStartup(record.runtime, 'failure', (Date.now() - record.create_ms) / 1000);
    this.logger.info({ sandbox_id: record.sandbox_id, phase, code: failure.code }, `create failed: ${failure.message}`);
    return { outcome: 'failed', error: failure };
  }
}

function startupBudgetSpent(record: SandboxRecord): RuntimeError {
  return new RuntimeError('STARTUP_TIMEOUT', `Sandbox ${record.sandbox_id} did not start within its startup timeout of ${record.startup_timeout}s.`, {
    phase: 'image_pull',
  });
}

function asRuntimeError(error: unknown): RuntimeError {
  if (isRuntimeError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RuntimeError('RUNTIME_ERROR', message, { cause: error });
}

/** The driver spec of a pending record, with what is left of its startup budget. */
export function toSpec(record: SandboxRecord, budgetMs: number): SandboxSpec {
  return {
    sandboxId: record.sandbox_id,
    image: record.image,
    memoryBytes: record.memory_bytes,
    cpus: record.cpus,
    limitCpus: record.limit_cpus,
    diskBytes: record.disk_bytes,
    numGpus: record.num_gpus,
    env: record.env,
    pull: record.pull,
    startupTimeoutMs: Math.max(1000, Math.floor(budgetMs)),
    rockletToken: record.rocklet_token ?? '',
    labels: record.metadata,
  };
}
