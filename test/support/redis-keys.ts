/**
 * Redis clean-up for tests and benchmarks: deletes only the keys a run created, under its own
 * unique prefixes. Never FLUSHDB: other engineers' tests share this Redis.
 */
import { Redis } from 'ioredis';

/** The Redis every integration test and benchmark uses. */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** Unlinks every key matching any of the glob `patterns` through `redis` (SCAN, 500 at a time); returns how many. */
export async function unlinkKeys(redis: Redis, patterns: readonly string[]): Promise<number> {
  let removed = 0;
  for (const pattern of patterns) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) removed += await redis.unlink(...keys);
    } while (cursor !== '0');
  }
  return removed;
}

/** {@link unlinkKeys} over a short-lived connection to `url`. */
export async function deleteRedisKeys(patterns: readonly string[], url = TEST_REDIS_URL): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  try {
    await redis.connect();
    return await unlinkKeys(redis, patterns);
  } finally {
    redis.disconnect();
  }
}
