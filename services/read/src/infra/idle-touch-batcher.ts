import type { RockLogger } from '@rock/observability';
import { idleDeadlineMs, type IdleTouch, type SandboxRecord } from '@rock/registry';

/** What the batcher needs from the registry. */
export interface IdleTouchTarget {
  touchMany(touches: readonly IdleTouch[]): Promise<number>;
}

/** Options of {@link IdleTouchBatcher}. */
export interface IdleTouchBatcherOptions {
  /** Longest a touch waits before it is written (default {@link DEFAULT_IDLE_TOUCH_FLUSH_MS}). */
  flushMs?: number;
  /** Clock in epoch ms (injectable for tests). */
  now?: () => number;
}

/** How long a per-call idle touch may wait in memory before it reaches Redis. */
export const DEFAULT_IDLE_TOUCH_FLUSH_MS = 1000;

type TouchedRecord = Pick<SandboxRecord, 'sandbox_id' | 'auto_clear_minutes'>;

/**
 * Coalesces the read service's per-call idle touches (API.md §3: every call that names a sandbox
 * slides its idle deadline) so a hot loop of calls costs no Redis round trip per call: each call
 * computes its deadline (call time + `auto_clear_minutes`) in memory, the latest per sandbox wins,
 * and at most every `flushMs` one pipeline writes them all. The deadline itself is exact; only its
 * write lags by up to `flushMs`, so a reaper pass inside that window can still see the previous
 * deadline (the idle TTL is minutes, the lag a second).
 */
export class IdleTouchBatcher {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly flushMs: number;
  private readonly now: () => number;

  constructor(
    private readonly registry: IdleTouchTarget,
    private readonly logger: Pick<RockLogger, 'warn'>,
    options: IdleTouchBatcherOptions = {},
  ) {
    this.flushMs = options.flushMs ?? DEFAULT_IDLE_TOUCH_FLUSH_MS;
    this.now = options.now ?? Date.now;
  }

  /** Records a call on `record`'s sandbox; written with the next flush. */
  touch(record: TouchedRecord): void {
    const deadline = idleDeadlineMs(record, this.now());
    const known = this.pending.get(record.sandbox_id);
    if (known === undefined || deadline > known) this.pending.set(record.sandbox_id, deadline);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /** Records a call and writes everything pending now (for answers that show the deadline). */
  async touchNow(record: TouchedRecord): Promise<void> {
    this.touch(record);
    await this.flush();
  }

  /** Number of sandboxes whose touch is not written yet. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Writes every pending touch in one pipeline, after any flush already running. Never rejects:
   * a failed write is logged (the next call on the sandbox touches it again).
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  /** Writes what is pending; call on shutdown. */
  close(): Promise<void> {
    return this.flush();
  }

  private async write(batch: Map<string, number>): Promise<void> {
    if (batch.size === 0) return;
    const touches = [...batch].map(([id, deadlineMs]) => ({ id, deadlineMs }));
    try {
      await this.registry.touchMany(touches);
    } catch (error) {
      this.logger.warn({ err: error, sandboxes: touches.length }, 'idle deadline refresh failed');
    }
  }
}
