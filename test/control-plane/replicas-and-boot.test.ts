import { TEST_IMAGES } from '@rock/testing';
import { Redis } from 'ioredis';
import { ControlPlane, SANDBOX_API } from './write-service-fixture';

jest.setTimeout(90_000);

describe('write service boot and replicas', () => {
  const plane = new ControlPlane({ name: 'replicas', runtime: 'docker' });

  afterAll(async () => plane.cleanup());

  it('refuses to boot on bad configuration, naming every bad variable', async () => {
    const { code, output } = await plane.runToExit({ ROCK_PORT: 'eighty', ROCK_RUNTIME: 'podman', ROCK_WORKER_CONCURRENCY: '0' });
    expect(code).toBe(2);
    expect(output).toContain('ROCK_PORT: must be an integer 1-65535');
    expect(output).toContain('ROCK_RUNTIME: must be one of');
    expect(output).toContain('ROCK_WORKER_CONCURRENCY');
  });

  it('runs two replicas on one queue: creates through either run, stops through the other', async () => {
    const [a, b] = [await plane.start(), await plane.start()];
    const ids = ['rep-0', 'rep-1', 'rep-2', 'rep-3'];
    const started = await Promise.all(
      ids.map((id, i) => (i % 2 === 0 ? a : b).post(`${SANDBOX_API}/start`, { image: TEST_IMAGES.busybox, sandbox_id: id, memory: '128m', cpus: 0.1 })),
    );
    expect(started.map((s) => s.body.status)).toEqual(ids.map(() => 'Success'));
    expect((await plane.containers()).map((c) => c.sandboxId).sort()).toEqual(ids);
    const stopped = await Promise.all(ids.map((id, i) => (i % 2 === 0 ? b : a).post(`${SANDBOX_API}/stop`, { sandbox_id: id })));
    expect(stopped.map((s) => s.body.result)).toEqual(ids.map((id) => `${id} stopped`));
    expect(await plane.containers()).toEqual([]);
    // Both replicas upserted the same two schedulers: one reaper and one reconciler, not four.
    const redis = new Redis('redis://127.0.0.1:6379');
    const redisKeys = await redis.zrange(`${plane.queuePrefix}:rock-lifecycle:repeat`, '0', '-1').finally(() => redis.disconnect());
    expect(redisKeys.sort()).toEqual(['rock-reaper', 'rock-reconciler']);
  });
});
