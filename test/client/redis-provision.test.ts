import { provisionRedis, redisAnswers } from '../../services/local/src/redis-provision';
import { freePort } from '@rock/testing';

// Local mode's Redis discovery: use the one that answers, else start a private redis-server.
jest.setTimeout(60_000);

it('starts a private redis-server when the default Redis does not answer, and stops it', async () => {
  const silentUrl = `redis://127.0.0.1:${await freePort()}`;
  expect(await redisAnswers(silentUrl, 500)).toBe(false);
  const redis = await provisionRedis(null, silentUrl);
  try {
    expect(redis.owned).toBe(true);
    expect(redis.url).not.toBe(silentUrl);
    expect(await redisAnswers(redis.url, 1_000)).toBe(true);
  } finally {
    await redis.stop();
  }
  expect(await redisAnswers(redis.url, 500)).toBe(false);
});

it('uses a Redis that answers, and refuses an explicit ROCK_REDIS_URL that does not', async () => {
  const shared = await provisionRedis(null, 'redis://127.0.0.1:6379');
  expect(shared).toMatchObject({ url: 'redis://127.0.0.1:6379', owned: false });
  await shared.stop(); // a no-op for a Redis it did not start
  expect(await redisAnswers('redis://127.0.0.1:6379', 1_000)).toBe(true);
  const silentUrl = `redis://127.0.0.1:${await freePort()}`;
  await expect(provisionRedis(silentUrl, 'redis://127.0.0.1:6379')).rejects.toThrow(`ROCK_REDIS_URL ${silentUrl} does not answer PING`);
});
