import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteRedisKeys, TEST_REDIS_URL, unlinkKeys } from './redis-keys';

const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
const run = `rock-test-redis-keys-${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  await deleteRedisKeys([`${run}*`]);
  redis.disconnect();
});

async function seed(prefix: string, count: number): Promise<void> {
  const pipeline = redis.pipeline();
  for (let i = 0; i < count; i++) pipeline.set(`${prefix}${i}`, '1');
  await pipeline.exec();
}

it('deletes every key of each pattern across many SCAN pages and leaves a sibling prefix alone', async () => {
  await seed(`${run}:a:`, 1_234);
  await seed(`${run}:q:`, 3);
  await seed(`${run}-other:`, 5);
  expect(await deleteRedisKeys([`${run}:a:*`, `${run}:q:*`])).toBe(1_237);
  expect(await redis.keys(`${run}:*`)).toEqual([]);
  expect((await redis.keys(`${run}-other:*`)).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `${run}-other:${i}`));
});

it('works on a caller-owned connection and leaves it open', async () => {
  await seed(`${run}:own:`, 2);
  expect(await unlinkKeys(redis, [`${run}:own:*`, `${run}:none:*`])).toBe(2);
  expect(await redis.ping()).toBe('PONG');
});
