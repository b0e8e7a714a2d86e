import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { RockConfig } from '@rock/config';
import type { QueueState } from '@rock/observability';
import { createRedisConnection, type Redis } from '@rock/registry';
import { Queue } from 'bullmq';
import {
  createJobId,
  destroyJobId,
  REAPER_SCHEDULER_ID,
  RECONCILER_SCHEDULER_ID,
  type CreateJobData,
  type DestroyJobData,
  type DestroyReason,
} from '../lifecycle/lifecycle.jobs';
import { ROCK_CONFIG } from './write.tokens';

/** Attempts of a create whose runtime errors are transient (image registry 5xx, daemon hiccup). */
const CREATE_ATTEMPTS = 3;
const DESTROY_ATTEMPTS = 5;
const BACKOFF = { type: 'exponential', delay: 1000 } as const;
/** How long one backlog count answers every admission (a burst of creates counts once, not per create). */
const BACKLOG_REUSE_MS = 100;

/** The BullMQ `rock-lifecycle` queue behind typed methods; services never import bullmq. */
@Injectable()
export class LifecycleQueueRepository implements OnApplicationShutdown {
  private readonly connection: Redis;
  private readonly queue: Queue;
  private backlogRead: { atMs: number; count: Promise<number> } | null = null;

  constructor(@Inject(ROCK_CONFIG) private readonly config: RockConfig) {
    // The queue never blocks (the worker has its own connection); BullMQ wants retries unbounded.
    this.connection = createRedisConnection(config.redis.url, { name: 'rock-write-queue', forBlockingCommands: true, autoPipelining: true });
    this.queue = new Queue(config.queue.name, { connection: this.connection, prefix: config.queue.prefix });
  }

  get name(): string {
    return this.config.queue.name;
  }

  async enqueueCreate(sandboxId: string, incarnation: number): Promise<void> {
    const data: CreateJobData = { sandboxId, incarnation };
    await this.queue.add('create', data, {
      jobId: createJobId(sandboxId, incarnation),
      attempts: CREATE_ATTEMPTS,
      backoff: BACKOFF,
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  async enqueueDestroy(sandboxId: string, incarnation: number, reason: DestroyReason): Promise<void> {
    const data: DestroyJobData = { sandboxId, incarnation, reason };
    await this.queue.add('destroy', data, {
      jobId: destroyJobId(sandboxId, incarnation),
      attempts: DESTROY_ATTEMPTS,
      backoff: BACKOFF,
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  /** Jobs not yet started (admission refuses creates past a bound, so the queue never grows without one). */
  async backlog(): Promise<number> {
    return this.queue.getWaitingCount();
  }

  /**
   * {@link backlog}, shared by the callers of the same {@link BACKLOG_REUSE_MS} window (an
   * admission bound needs no exact count; a failed count is not reused).
   */
  async recentBacklog(nowMs = Date.now()): Promise<number> {
    const read = this.backlogRead;
    if (read && nowMs - read.atMs < BACKLOG_REUSE_MS) return read.count;
    const count = this.backlog();
    const fresh = { atMs: nowMs, count };
    this.backlogRead = fresh;
    count.catch(() => {
      if (this.backlogRead === fresh) this.backlogRead = null;
    });
    return count;
  }

  async depth(): Promise<Partial<Record<QueueState, number>>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
  }

  /** Creates or updates the reaper and reconciler schedules (idempotent across replicas). */
  async upsertSchedulers(): Promise<void> {
    const keep = { removeOnComplete: true, removeOnFail: true };
    await this.queue.upsertJobScheduler(
      REAPER_SCHEDULER_ID,
      { every: this.config.schedules.reaperIntervalMs },
      { name: 'reap', data: {}, opts: keep },
    );
    await this.queue.upsertJobScheduler(
      RECONCILER_SCHEDULER_ID,
      { every: this.config.schedules.reconcilerIntervalMs },
      { name: 'reconcile', data: {}, opts: keep },
    );
  }

  /** Round trip to Redis, for `/readyz`. */
  async ping(): Promise<void> {
    await this.connection.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
