import { TEST_IMAGES } from '@rock/testing';
import { ControlPlane, SANDBOX_API } from './write-service-fixture';

jest.setTimeout(180_000);

describe('write service killed with SIGKILL while creates are in flight', () => {
  const plane = new ControlPlane({
    name: 'crash',
    runtime: 'docker',
    env: { ROCK_WORKER_CONCURRENCY: '8', ROCK_RECONCILER_INTERVAL_MS: '2000', ROCK_DEFAULT_STARTUP_TIMEOUT: '60' },
  });

  afterAll(async () => plane.cleanup());

  it('after a restart every sandbox ends running or cleaned and no container is orphaned', async () => {
    const first = await plane.start();
    const ids = Array.from({ length: 20 }, (_, i) => `crash-${i}`);
    const image = (i: number) => (i % 2 === 0 ? TEST_IMAGES.busybox : TEST_IMAGES.bash);
    const answers = await Promise.all(
      ids.map((id, i) => first.post(`${SANDBOX_API}/start_async`, { image: image(i), sandbox_id: id, memory: '128m', cpus: 0.1 })),
    );
    expect(answers.map((a) => a.body.status)).toEqual(ids.map(() => 'Success'));
    // Kill while the worker is mid-way: some containers exist, most records are still pending.
    const deadline = Date.now() + 20_000;
    while ((await plane.containers()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await first.kill9();
    const records = await plane.registry.getMany(ids);
    expect(records.filter((r) => r?.state === 'pending').length).toBeGreaterThan(0);

    const second = await plane.start();
    const settled = await Promise.all(ids.map((id) => plane.waitForRecord(id, (r) => r?.state === 'running' || r?.state === 'stopped', 90_000)));
    const running = settled.filter((r) => r?.state === 'running').map((r) => r?.sandbox_id);
    expect(running.length).toBeGreaterThan(0);
    const failures = settled.filter((r) => r?.state === 'stopped').map((r) => `${r?.sandbox_id}: ${r?.failure_reason}`);
    expect(failures).toEqual([]);
    // Leftovers of the killed creates are removed by the retried job or the reconciler: poll docker ps.
    const expected = JSON.stringify([...running].sort());
    const cleanBy = Date.now() + 15_000;
    let containers = await plane.containers();
    while (JSON.stringify(containers.map((c) => c.sandboxId).sort()) !== expected && Date.now() < cleanBy) {
      await new Promise((r) => setTimeout(r, 250));
      containers = await plane.containers();
    }
    expect(containers.map((c) => c.sandboxId).sort()).toEqual([...running].sort());
    expect(containers.every((c) => c.state === 'running')).toBe(true);

    await Promise.all(ids.map((id) => second.post(`${SANDBOX_API}/stop`, { sandbox_id: id })));
    expect(await plane.containers()).toEqual([]);
    expect(await plane.registry.aliveIds()).toEqual([]);
  });
});
