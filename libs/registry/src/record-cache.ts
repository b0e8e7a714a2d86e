import type { EventSubscription, RegistryEventListener } from './events';
import type { SandboxRecord } from './record';

/** What the cache needs from the registry. */
export interface CacheableRegistry {
  get(id: string): Promise<SandboxRecord | null>;
  onEvent(listener: RegistryEventListener): Promise<EventSubscription>;
}

/** Options of {@link SandboxRecordCache}. */
export interface RecordCacheOptions {
  /** How long a record may be served from memory; 0 disables caching. */
  ttlMs: number;
  /** Oldest entries are evicted beyond this many (default 10000). */
  maxEntries?: number;
  /** Clock in epoch ms (injectable for tests). */
  now?: () => number;
  /** Called on every lookup (feeds `rock_registry_cache_lookups_total`). */
  onLookup?: (hit: boolean) => void;
}

interface Entry {
  record: SandboxRecord;
  expiresAt: number;
}

/**
 * The read service's short in-process cache of registry records (ARCHITECTURE §1): entries live
 * at most `ttlMs` and are dropped at once when a registry event names their sandbox. Misses are
 * not cached (a sandbox created a moment ago must be found). A fetch that races an invalidation is
 * not stored, so an event is never undone by a slower read.
 */
export class SandboxRecordCache {
  private readonly entries = new Map<string, Entry>();
  /** Fetches in flight per id; an invalidation marks them stale so their result is not stored. */
  private readonly inflight = new Map<string, Set<{ stale: boolean }>>();
  private subscription: EventSubscription | null = null;
  private readonly now: () => number;

  constructor(
    private readonly registry: CacheableRegistry,
    private readonly options: RecordCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Subscribes to registry events; call once before serving. */
  async start(): Promise<void> {
    this.subscription ??= await this.registry.onEvent((event) => this.invalidate(event.sandbox_id));
  }

  /** The record of `id` (from memory when fresh), or `null` when the registry has none. */
  async get(id: string): Promise<SandboxRecord | null> {
    const entry = this.entries.get(id);
    if (entry && entry.expiresAt > this.now()) {
      this.options.onLookup?.(true);
      return entry.record;
    }
    this.options.onLookup?.(false);
    const fetch = { stale: false };
    const pending = this.inflight.get(id) ?? new Set();
    pending.add(fetch);
    this.inflight.set(id, pending);
    try {
      const record = await this.registry.get(id);
      if (record && this.options.ttlMs > 0 && !fetch.stale) this.store(id, record);
      return record;
    } finally {
      pending.delete(fetch);
      if (pending.size === 0 && this.inflight.get(id) === pending) this.inflight.delete(id);
    }
  }

  private store(id: string, record: SandboxRecord): void {
    this.entries.delete(id);
    this.entries.set(id, { record, expiresAt: this.now() + this.options.ttlMs });
    const max = this.options.maxEntries ?? 10_000;
    while (this.entries.size > max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** Drops `id` and makes any in-flight fetch of it uncacheable. */
  invalidate(id: string): void {
    this.entries.delete(id);
    for (const fetch of this.inflight.get(id) ?? []) fetch.stale = true;
  }

  /** Number of cached records. */
  get size(): number {
    return this.entries.size;
  }

  /** Unsubscribes and empties the cache. */
  close(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.entries.clear();
  }
}
