import { SandboxNotFoundError } from '@rock/contracts';
import type { RockLogger } from '@rock/observability';
import { SandboxRecordCache, type SandboxRecord, type SandboxRegistry } from '@rock/registry';
import { IdleTouchBatcher } from './idle-touch-batcher';

/** Options of {@link SandboxDirectory}. */
export interface SandboxDirectoryOptions {
  cacheTtlMs: number;
  /** When false (local mode without keys), ownership is not checked. */
  enforceOwnership: boolean;
  onCacheLookup?: (hit: boolean) => void;
  /** Longest a call's idle touch waits before it is written (see {@link IdleTouchBatcher}). */
  touchFlushMs?: number;
}

/**
 * Resolves sandbox ids for the read service: registry lookups through a short in-process cache
 * that registry events invalidate (a stop is seen at once on every replica), ownership
 * (another principal's sandbox is "not found", API.md §7), and the sliding idle deadline
 * (coalesced per sandbox, written at most every `touchFlushMs`).
 */
export class SandboxDirectory {
  private readonly cache: SandboxRecordCache;
  private readonly touches: IdleTouchBatcher;

  constructor(
    private readonly registry: SandboxRegistry,
    private readonly logger: RockLogger,
    private readonly options: SandboxDirectoryOptions,
  ) {
    this.cache = new SandboxRecordCache(registry, { ttlMs: options.cacheTtlMs, onLookup: options.onCacheLookup });
    this.touches = new IdleTouchBatcher(registry, logger, { flushMs: options.touchFlushMs });
  }

  /** Subscribes to registry events (before serving). */
  async start(): Promise<void> {
    await this.cache.start();
  }

  /** Writes pending idle touches and drops the cache. */
  async close(): Promise<void> {
    this.cache.close();
    await this.touches.close();
  }

  /** The record when it exists and `principal` may see it, else `null`. */
  async find(id: string, principal: string): Promise<SandboxRecord | null> {
    const record = await this.cache.get(id);
    if (!record || !this.visible(record, principal)) return null;
    return record;
  }

  /** The record, or 4000 "Sandbox <id> not found". */
  async require(id: string, principal: string): Promise<SandboxRecord> {
    const record = await this.find(id, principal);
    if (!record) throw new SandboxNotFoundError(id);
    return record;
  }

  /**
   * The record read from Redis now, bypassing the cache: for answers that show the record
   * (get_status), so every replica shows the same idle deadline right after a touch.
   */
  async fresh(id: string, principal: string): Promise<SandboxRecord> {
    const record = await this.registry.get(id);
    if (!record || !this.visible(record, principal)) throw new SandboxNotFoundError(id);
    return record;
  }

  /** Records of `ids` that exist and are visible, in request order (no cache: one pipeline). */
  async findMany(ids: readonly string[], principal: string): Promise<SandboxRecord[]> {
    const records = await this.registry.getMany(ids);
    return records.filter((r): r is SandboxRecord => r !== null && this.visible(r, principal));
  }

  /** Whether ownership is checked, and the owner to filter listings by. */
  ownerFilter(principal: string): string | undefined {
    return this.options.enforceOwnership ? principal : undefined;
  }

  /**
   * Slides the idle deadline (API.md §3) without delaying the call and without a Redis round trip:
   * the touch is coalesced and written with the next flush (within `touchFlushMs`).
   */
  touch(record: SandboxRecord): void {
    this.touches.touch(record);
  }

  /** Slides the idle deadline and waits until it is written (for answers that show it). */
  touchNow(record: SandboxRecord): Promise<void> {
    return this.touches.touchNow(record);
  }

  private visible(record: SandboxRecord, principal: string): boolean {
    return !this.options.enforceOwnership || record.owner === principal;
  }
}
