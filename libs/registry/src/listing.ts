import type { FilterableField } from '@rock/contracts';
import type { Redis } from 'ioredis';
import type { RegistryKeys } from './keys';

/** A registry listing over live (pending/running) sandboxes, oldest first. */
export interface RegistryListQuery {
  /** 1-based page. */
  page: number;
  pageSize: number;
  /** Exact matches on SandboxInfo fields (numbers compare numerically: `cpus=2` matches 2.0). */
  filters?: Partial<Record<FilterableField, string>>;
  /** Exact matches on metadata keys. */
  metadata?: Record<string, string>;
  /** Only this principal's sandboxes (API.md §7). */
  owner?: string;
}

/** A page of ids plus the total number of matches. */
export interface IdPage {
  ids: string[];
  total: number;
}

const CHUNK = 1000;

function sameValue(stored: string | null, wanted: string): boolean {
  if (stored === null) return wanted === '' || wanted === 'null';
  if (stored === wanted) return true;
  const a = Number(stored);
  const b = Number(wanted);
  return stored !== '' && wanted !== '' && Number.isFinite(a) && Number.isFinite(b) && a === b;
}

function metadataMatches(raw: string | null, wanted: Record<string, string>): boolean {
  let metadata: Record<string, unknown> = {};
  try {
    metadata = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  } catch {
    return false;
  }
  return Object.entries(wanted).every(([key, value]) => metadata[key] === value);
}

/**
 * Pages through the alive set. Without filters this is two O(log n + page) commands. With
 * filters it reads only the filtered fields of every live record (pipelined, in chunks) and
 * matches in process: O(live), which is fine for the thousands of sandboxes one deployment holds
 * and needs no secondary indexes to keep consistent.
 */
export async function pageLiveIds(redis: Redis, keys: RegistryKeys, query: RegistryListQuery): Promise<IdPage> {
  const start = (query.page - 1) * query.pageSize;
  const filters = Object.entries(query.filters ?? {}) as [FilterableField, string][];
  const metadata = query.metadata ?? {};
  const hasMetadata = Object.keys(metadata).length > 0;
  if (filters.length === 0 && !hasMetadata && query.owner === undefined) {
    const [total, ids] = await Promise.all([
      redis.zcard(keys.alive),
      redis.zrange(keys.alive, String(start), String(start + query.pageSize - 1)),
    ]);
    return { ids, total };
  }
  const fields = [...filters.map(([f]) => f as string), 'metadata', 'owner'];
  const all = await redis.zrange(keys.alive, '0', '-1');
  const matched: string[] = [];
  for (let i = 0; i < all.length; i += CHUNK) {
    const chunk = all.slice(i, i + CHUNK);
    const pipeline = redis.pipeline();
    for (const id of chunk) pipeline.hmget(keys.record(id), ...fields);
    const replies = (await pipeline.exec()) ?? [];
    chunk.forEach((id, j) => {
      const values = (replies[j]?.[1] ?? []) as (string | null)[];
      const ok =
        filters.every(([, wanted], k) => sameValue(values[k] ?? null, wanted)) &&
        (!hasMetadata || metadataMatches(values[filters.length] ?? null, metadata)) &&
        (query.owner === undefined || values[filters.length + 1] === query.owner);
      if (ok) matched.push(id);
    });
  }
  return { ids: matched.slice(start, start + query.pageSize), total: matched.length };
}
