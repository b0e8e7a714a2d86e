import type { SandboxRecord } from './record';

/** How long a created record is kept for its create job (a job picked up by another replica never takes it). */
const KEEP_MS = 60_000;

/**
 * Records this process just inserted, for the create job that usually runs in the same process a
 * few ms later: it starts from the record it already has instead of reading it back (one HGETALL
 * and its decoding less per create). Taken by id and incarnation; entries nobody takes (the job ran
 * on another replica) expire after {@link KEEP_MS}, oldest first, so the map stays bounded by the
 * creates of one minute.
 */
export class RecentCreates {
  private readonly records = new Map<string, { record: SandboxRecord; atMs: number }>();

  constructor(private readonly now: () => number) {}

  remember(record: SandboxRecord): void {
    const nowMs = this.now();
    this.expire(nowMs);
    this.records.delete(record.sandbox_id); // re-inserted last, so the map stays in age order
    this.records.set(record.sandbox_id, { record, atMs: nowMs });
  }

  /** The record inserted as `(id, incarnation)` by this process, once; null when not (or no longer) held. */
  take(id: string, incarnation: number): SandboxRecord | null {
    const entry = this.records.get(id);
    if (!entry || entry.record.create_ms !== incarnation) return null;
    this.records.delete(id);
    return entry.record;
  }

  /** Drops what is held for `id` (its record moved on, e.g. stopped before its create job ran). */
  forget(id: string): void {
    this.records.delete(id);
  }

  get size(): number {
    return this.records.size;
  }

  private expire(nowMs: number): void {
    for (const [k, entry] of this.records) {
      if (nowMs - entry.atMs < KEEP_MS) return;
      this.records.delete(k);
    }
  }
}
