import { TEST_IMAGES } from '@rock/testing';
import { ControlPlane, SANDBOX_API } from './write-service-fixture';

jest.setTimeout(120_000);

describe('write service SIGTERM with creates in flight', () => {
  const plane = new ControlPlane({ name: 'sigterm', runtime: 'docker', env: { ROCK_SHUTDOWN_TIMEOUT_MS: '15000' } });

  afterAll(async () => plane.cleanup());

  it('finishes (or hands back) running jobs, exits 0, and a new process completes the rest', async () => {
    const first = await plane.start();
    const ids = Array.from({ length: 6 }, (_, i) => `term-${i}`);
    await Promise.all(ids.map((id) => first.post(`${SANDBOX_API}/start_async`, { image: TEST_IMAGES.busybox, sandbox_id: id, memory: '128m', cpus: 0.1 })));
    const began = Date.now();
    expect(await first.stop(30_000)).toBe(0);
    expect(Date.now() - began).toBeLessThan(20_000);
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();
    expect(first.logs).toContain('"shut down"');

    const second = await plane.start();
    const settled = await Promise.all(ids.map((id) => plane.waitForRecord(id, (r) => r?.state === 'running' || r?.state === 'stopped', 60_000)));
    expect(settled.map((r) => r?.state)).toEqual(ids.map(() => 'running'));
    expect((await plane.containers()).length).toBe(ids.length);
    await Promise.all(ids.map((id) => second.post(`${SANDBOX_API}/stop`, { sandbox_id: id })));
    expect(await plane.containers()).toEqual([]);
  });
});
