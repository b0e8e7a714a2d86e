import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { RockConfig } from '@rock/config';
import { startTimer, type RockLogger, type RockMetrics } from '@rock/observability';
import { createRedisConnection, type Redis } from '@rock/registry';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { LifecycleQueueRepository } from '../infra/lifecycle-queue.repository';
import { ROCK_CONFIG, ROCK_LOGGER, ROCK_METRICS } from '../infra/write.tokens';
import { CreateJobHandler } from './create.handler';
import { DestroyJobHandler } from './destroy.handler';
import { InflightCreates } from './inflight-creates';
import { handlerTable, type CreateJobData, type DestroyJobData, type LifecycleJobName } from './lifecycle.jobs';
import { ReaperJobHandler } from './reaper.handler';
import { ReconcilerJobHandler } from './reconciler.handler';

type JobHandler = (job: Job) => Promise<'success' | 'failure'>;

/** A crashed worker's job is re-run once its lock lapses (STYLE §6: a killed worker's job is picked up). */
const LOCK_DURATION_MS = 10_000;
const STALLED_INTERVAL_MS = 5_000;

/**
 * Runs lifecycle jobs from the `rock-lifecycle` queue: one handler per job name, checked at boot
 * (a missing or duplicate name fails startup). Transient create failures are retried with
 * exponential backoff; permanent ones end the job with `UnrecoverableError`. The worker uses
 * `maxRetriesPerRequest: null` and is closed before Redis on shutdown (in-flight jobs finish,
 * or are handed back by their lock lapsing when the process dies).
 */
@Injectable()
export class LifecycleProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private worker: Worker | null = null;
  private connection: Redis | null = null;
  private readonly handlers: ReadonlyMap<LifecycleJobName, JobHandler>;

  constructor(
    @Inject(ROCK_CONFIG) private readonly config: RockConfig,
    @Inject(ROCK_LOGGER) private readonly logger: RockLogger,
    @Inject(ROCK_METRICS) private readonly metrics: RockMetrics,
    private readonly queue: LifecycleQueueRepository,
    private readonly inflight: InflightCreates,
    create: CreateJobHandler,
    destroy: DestroyJobHandler,
    reaper: ReaperJobHandler,
    reconciler: ReconcilerJobHandler,
  ) {
    this.handlers = handlerTable<JobHandler>([
      ['create', (job) => this.runCreate(create, job as Job<CreateJobData>)],
      ['destroy', async (job) => succeeded(destroy.run(job.data as DestroyJobData))],
      ['reap', async () => succeeded(reaper.run())],
      ['reconcile', async () => succeeded(reconciler.run())],
    ]);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.connection = createRedisConnection(this.config.redis.url, { name: 'rock-write-worker', forBlockingCommands: true });
    this.worker = new Worker(this.config.queue.name, (job) => this.process(job), {
      connection: this.connection,
      prefix: this.config.queue.prefix,
      concurrency: this.config.queue.concurrency,
      lockDuration: LOCK_DURATION_MS,
      stalledInterval: STALLED_INTERVAL_MS,
      maxStalledCount: 3,
    });
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'lifecycle worker error'));
    await this.worker.waitUntilReady();
    await this.queue.upsertSchedulers();
  }

  private async process(job: Job): Promise<void> {
    const handler = this.handlers.get(job.name as LifecycleJobName);
    if (!handler) throw new UnrecoverableError(`no handler for lifecycle job "${job.name}"`);
    const elapsed = startTimer();
    let outcome: 'success' | 'failure' = 'failure';
    try {
      outcome = await handler(job);
    } finally {
      this.metrics.recordLifecycleJob(job.name, outcome, elapsed());
    }
  }

  private async runCreate(handler: CreateJobHandler, job: Job<CreateJobData>): Promise<'success' | 'failure'> {
    const result = await handler.run({
      data: job.data,
      attemptsStarted: job.attemptsStarted,
      maxAttempts: job.opts.attempts ?? 1,
    });
    if (result.outcome === 'retry') throw result.error ?? new Error('transient create failure');
    if (result.outcome === 'failed') throw new UnrecoverableError(result.error?.message ?? 'create failed');
    return 'success';
  }

  /** Stops taking jobs and waits for the running ones (bounded by the shutdown budget). */
  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.config.http.shutdownTimeoutMs);
    });
    const closed = await Promise.race([worker.close().then(() => 'closed' as const), budget]);
    clearTimeout(timer);
    if (closed === 'timeout') {
      // Hand the rest back: aborted creates clean up, and their locks lapse for another replica.
      this.inflight.abortAll();
      await worker.close(true);
    }
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }
}

async function succeeded(work: Promise<unknown>): Promise<'success'> {
  await work;
  return 'success';
}
