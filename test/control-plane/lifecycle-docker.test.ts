import { dockerForTests, TEST_IMAGES } from '@rock/testing';
import { ControlPlane, SANDBOX_API, type WriteProcess } from './write-service-fixture';

jest.setTimeout(120_000);

describe('write service on the docker runtime', () => {
  const plane = new ControlPlane({ name: 'docker', runtime: 'docker' });
  let write: WriteProcess;

  beforeAll(async () => {
    write = await plane.start();
  });
  afterAll(async () => plane.cleanup());

  const small = { memory: '256m', cpus: 0.5 };

  it.each([
    ['busybox', TEST_IMAGES.busybox],
    ['bash', TEST_IMAGES.bash],
  ])('start (sync) runs a %s sandbox with an address, then stop removes its container', async (name, image) => {
    const sandboxId = `sync-${name}`;
    const started = await write.post(`${SANDBOX_API}/start`, { image, sandbox_id: sandboxId, ...small });
    expect(started.body).toMatchObject({ status: 'Success', result: { sandbox_id: sandboxId, cpus: 0.5, memory: '256m' } });
    expect(started.body.result.host_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const record = await plane.registry.get(sandboxId);
    expect(record?.state).toBe('running');
    expect(record?.port_mapping['22555']).toBe(22555);
    expect(record?.status.rocklet_ready.status).toBe('success');
    expect(record?.state_history.map((h) => h.to_state)).toEqual(['pending', 'running']);
    const alive = await fetch(`${record?.rocklet_url}/is_alive`);
    expect(await alive.json()).toMatchObject({ is_alive: true });
    expect((await plane.containers()).map((c) => c.sandboxId)).toContain(sandboxId);

    const stopped = await write.post(`${SANDBOX_API}/stop`, { sandbox_id: sandboxId });
    expect(stopped.body).toEqual({ status: 'Success', message: null, error: null, result: `${sandboxId} stopped` });
    expect((await plane.registry.get(sandboxId))?.state).toBe('stopped');
    expect((await plane.containers()).map((c) => c.sandboxId)).not.toContain(sandboxId);
    const again = await write.post(`${SANDBOX_API}/stop`, { sandbox_id: sandboxId });
    expect(again.body.status).toBe('Success');
  });

  it.each([
    ['busybox', TEST_IMAGES.busybox],
    ['bash', TEST_IMAGES.bash],
  ])('start_async answers pending at once and the %s sandbox then runs', async (name, image) => {
    const sandboxId = `async-${name}`;
    const started = await write.post(`${SANDBOX_API}/start_async`, { image, sandbox_id: sandboxId, ...small });
    expect(started.body).toMatchObject({ status: 'Success', result: { sandbox_id: sandboxId } });
    const running = await plane.waitForRecord(sandboxId, (r) => r?.state === 'running', 30_000);
    expect(running?.host_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(Object.keys(running?.port_mapping ?? {})).toEqual(['22555']);
    await write.post(`${SANDBOX_API}/stop`, { sandbox_id: sandboxId });
    expect((await plane.registry.get(sandboxId))?.state).toBe('stopped');
    expect(await plane.containers()).toEqual([]);
  });

  it('fails fast on a missing image, naming the image and the image_pull phase', async () => {
    const began = Date.now();
    const res = await write.post(`${SANDBOX_API}/start`, { image: 'rock-no-such-image:v0', sandbox_id: 'missing-image', pull: 'never' });
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(res.body).toMatchObject({ status: 'Failed', message: 'start sandbox failed', result: { code: 5000 } });
    expect(res.body.error).toContain('image_pull');
    expect(res.body.error).toContain('rock-no-such-image:v0');
    const record = await plane.registry.get('missing-image');
    expect(record?.state).toBe('stopped');
    expect(record?.status.image_pull.status).toBe('failed');
    expect(record?.failure_reason).toContain('rock-no-such-image:v0');
  });

  it('stops a sandbox that is still starting and leaves no container behind', async () => {
    const ids = ['early-stop-1', 'early-stop-2', 'early-stop-3'];
    await Promise.all(ids.map((id) => write.post(`${SANDBOX_API}/start_async`, { image: TEST_IMAGES.bash, sandbox_id: id, ...small })));
    const stops = await Promise.all(ids.map((id) => write.post(`${SANDBOX_API}/stop`, { sandbox_id: id })));
    expect(stops.map((s) => s.body.result)).toEqual(ids.map((id) => `${id} stopped`));
    for (const id of ids) expect((await plane.registry.get(id))?.state).toBe('stopped');
    // A create that was past its last await when the stop landed removes its own container.
    const deadline = Date.now() + 10_000;
    while ((await plane.containers()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await plane.containers()).toEqual([]);
  });

  // 1 ms: no docker create + start + rocklet readiness fits, however fast the machine (0.2 s did fit on an idle CI host).
  it('fails a start that overruns its startup_timeout, with the phase that ran out of time', async () => {
    const res = await write.post(`${SANDBOX_API}/start`, { image: TEST_IMAGES.bash, sandbox_id: 'too-slow', startup_timeout: 0.001, ...small });
    expect(res.body).toMatchObject({ status: 'Failed', message: 'start sandbox failed', result: { code: 5000 } });
    const record = await plane.waitForRecord('too-slow', (r) => r?.state === 'stopped', 10_000);
    const timedOut = Object.entries(record?.status ?? {}).filter(([, phase]) => phase.status === 'timeout' || phase.status === 'failed');
    expect(timedOut.length).toBeGreaterThan(0);
    expect(String(res.body.error)).toContain(timedOut[0]?.[0]);
    expect((await plane.containers()).map((c) => c.sandboxId)).not.toContain('too-slow');
  });

  it('refuses a live duplicate id and restarts, commits and warms up on docker', async () => {
    const sandboxId = 'ops';
    await write.post(`${SANDBOX_API}/start`, { image: TEST_IMAGES.busybox, sandbox_id: sandboxId, ...small });
    const dup = await write.post(`${SANDBOX_API}/start_async`, { image: TEST_IMAGES.busybox, sandbox_id: sandboxId });
    expect(dup.body).toMatchObject({ status: 'Failed', error: `Sandbox ${sandboxId} already exists`, result: { code: 4000 } });

    const restarted = await write.post(`${SANDBOX_API}/restart`, { sandbox_id: sandboxId });
    expect(restarted.body).toMatchObject({ status: 'Success', result: { sandbox_id: sandboxId } });
    const record = await plane.registry.get(sandboxId);
    expect(await (await fetch(`${record?.rocklet_url}/is_alive`)).json()).toMatchObject({ is_alive: true });

    const tag = `rock-cp-commit-${plane.instance}:v1`;
    const committed = await write.post(`${SANDBOX_API}/commit`, { sandbox_id: sandboxId, image_tag: tag });
    try {
      expect(committed.body).toMatchObject({ status: 'Success', result: { sandbox_id: sandboxId, image_tag: tag } });
      expect((await dockerForTests().getImage(tag).inspect()).Id).toBe(committed.body.result.image_id);
    } finally {
      await dockerForTests().getImage(tag).remove({ force: true }).catch(() => undefined);
    }
    const warm = await write.post(`${SANDBOX_API}/warmup/tasks`, { image: TEST_IMAGES.bash });
    expect(warm.body).toMatchObject({ status: 'Success', result: { image: TEST_IMAGES.bash, status: 'ready' } });

    const deleted = await write.post(`${SANDBOX_API}/delete`, { sandbox_id: sandboxId });
    expect(deleted.body.result).toBe(`${sandboxId} deleted`);
    expect((await plane.registry.get(sandboxId))?.state).toBe('deleted');
    expect(await plane.containers()).toEqual([]);
  });

  it('answers unknown ids: stop is not found, delete is a no-op', async () => {
    const stop = await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'never-existed' }, { 'x-rock-http-status': 'true' });
    expect(stop.status).toBe(404);
    expect(stop.body).toMatchObject({ status: 'Failed', message: 'stop sandbox failed', error: 'Sandbox never-existed not found' });
    const del = await write.post(`${SANDBOX_API}/delete`, { sandbox_id: 'never-existed' });
    expect(del.body).toMatchObject({ status: 'Success', result: 'never-existed deleted' });
    const restart = await write.post(`${SANDBOX_API}/restart`, { sandbox_id: 'never-existed' });
    expect(restart.body).toMatchObject({ status: 'Failed', error: 'Sandbox never-existed not found' });
  });
});
