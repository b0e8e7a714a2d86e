import { SandboxNotFoundError } from '@rock/contracts';
import type { RockLogger } from '@rock/observability';
import { SandboxRecordCache, type SandboxRecord, type SandboxRegistry } from '@rock/registry';

/** Options of {@link SandboxDirectory}. */
export interface SandboxDirectoryOptions {
  cacheTtlMs: number;
  /** When false (local mode without keys), ownership is not checked. */
  enforceOwnership: boolean;
  onCacheLookup?: (hit: boolean) => void;
}

/**
 * Resolves sandbox ids for the read service: registry lookups through a short in-process cache
 * that registry events invalidate (a stop is seen at once on every replica), ownership
 * (another principal's sandbox is "not found", API.md §7), and the sliding idle deadline.
 */
export class SandboxDirectory {
  private readonly cache: SandboxRecordCache;

  constructor(
    private readonly registry: SandboxRegistry,
    private readonly logger: RockLogger,
    private readonly options: SandboxDirectoryOptions,
  ) {
    this.cache = new SandboxRecordCache(registry, { ttlMs: options.cacheTtlMs, onLookup: options.onCacheLookup });
  }

  /** Subscribes to registry events (before serving). */
  async start(): Promise<void> {
    await this.cache.start();
  }

  close(): void {
    this.cache.close();
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
   * Slides the idle deadline (API.md §3) without delaying the call: fire-and-forget, failures
   * logged. Resolves when the touch is done, for callers that want to wait.
   */
  touch(record: SandboxRecord): Promise<void> {
    return this.registry.touchIdle(record).then(
      () => undefined,
      (error: unknown) => this.logger.warn({ err: error, sandbox_id: record.sandbox_id }, 'idle deadline refresh failed'),
    );
  }

  private visible(record: SandboxRecord, principal: string): boolean {
    return !this.options.enforceOwnership || record.owner === principal;
  }
}
