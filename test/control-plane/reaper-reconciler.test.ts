import { newSandboxRecord } from '@rock/registry';
import { dockerForTests, rockletBundleDir, rockletContainerCommand, TEST_IMAGES } from '@rock/testing';
import { Redis } from 'ioredis';
import { ControlPlane, SANDBOX_API, type WriteProcess } from './write-service-fixture';

jest.setTimeout(120_000);

const small = { memory: '256m', cpus: 0.5 };

describe('reaper and reconciler (BullMQ job schedulers) on docker', () => {
  const plane = new ControlPlane({
    name: 'reconcile',
    runtime: 'docker',
    env: { ROCK_REAPER_INTERVAL_MS: '300', ROCK_RECONCILER_INTERVAL_MS: '1000' },
  });
  let write: WriteProcess;
  const redis = new Redis('redis://127.0.0.1:6379');

  beforeAll(async () => {
    write = await plane.start();
  });
  afterAll(async () => {
    redis.disconnect();
    await plane.cleanup();
  });

  it('reaps a sandbox whose idle deadline passed, but not one whose deadline a call slid forward', async () => {
    for (const id of ['idle-a', 'idle-b']) {
      expect((await write.post(`${SANDBOX_API}/start`, { image: TEST_IMAGES.busybox, sandbox_id: id, ...small })).body.status).toBe('Success');
    }
    // A short TTL: both deadlines 1.5 s from now (API TTLs are whole minutes) …
    const soon = Date.now() + 1500;
    await redis.zadd(`${plane.prefix}expiry`, 'XX', soon, 'idle-a', soon, 'idle-b');
    // … then a read-side call on idle-b slides its deadline, as the read service's touch does.
    expect(await plane.registry.touch('idle-b', Date.now() + 120_000)).toBe(true);
    const reaped = await plane.waitForRecord('idle-a', (r) => r?.state === 'stopped', 15_000);
    expect(reaped?.state_history.at(-1)).toMatchObject({ from_state: 'running', to_state: 'stopped', event: 'idle' });
    expect(reaped?.failure_reason).toContain('idle');
    expect((await plane.containers()).map((c) => c.sandboxId)).toEqual(['idle-b']);
    expect((await plane.registry.get('idle-b'))?.state).toBe('running');
    const metrics = String((await write.request('/metrics')).body);
    expect(metrics).toMatch(/rock_reaper_actions_total\{[^}]*reason="idle"[^}]*\} 1/);
    await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'idle-b' });
  });

  it('marks a running sandbox whose container vanished as stopped with reason lost', async () => {
    await write.post(`${SANDBOX_API}/start`, { image: TEST_IMAGES.bash, sandbox_id: 'vanish', ...small });
    const [container] = (await plane.containers()).filter((c) => c.sandboxId === 'vanish');
    await dockerForTests().getContainer(container?.id ?? 'missing').remove({ force: true });
    const lost = await plane.waitForRecord('vanish', (r) => r?.state === 'stopped', 15_000);
    expect(lost?.failure_reason).toBe('lost');
    expect(lost?.state_history.at(-1)).toMatchObject({ to_state: 'stopped', event: 'lost' });
    expect(await plane.registry.aliveIds()).toEqual([]);
  });

  it('destroys a managed container of this instance that has no record', async () => {
    const docker = dockerForTests();
    const orphan = await docker.createContainer({
      Image: TEST_IMAGES.busybox,
      Cmd: rockletContainerCommand(),
      Labels: { 'rock.managed': 'true', 'rock.sandbox-id': 'orphan-1', 'rock.instance': plane.instance },
      HostConfig: { Binds: [`${rockletBundleDir()}:/rock:ro`], Init: true },
    });
    await orphan.start();
    const deadline = Date.now() + 15_000;
    while ((await plane.containers()).some((c) => c.sandboxId === 'orphan-1')) {
      if (Date.now() > deadline) throw new Error('orphan container was not destroyed within 15 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const metrics = String((await write.request('/metrics')).body);
    expect(metrics).toMatch(/rock_reconciler_actions_total\{[^}]*action="destroy"[^}]*reason="orphan"/);
  });

  it('fails and cleans a pending record older than its startup timeout', async () => {
    const now = Date.now() - 30_000;
    const record = newSandboxRecord(
      {
        image: TEST_IMAGES.busybox, sandbox_id: 'stuck', memory: '256m', cpus: 0.5, limit_cpus: null, disk: '1G',
        auto_clear_time_minutes: 5, startup_timeout: 2, pull: 'never', image_os: 'linux', env: {}, metadata: {},
        num_gpus: null, accelerator_type: null, registry_username: null, registry_password: null,
        auto_delete_seconds: null, auto_archive_seconds: null, memory_bytes: 256 * 1024 ** 2, disk_bytes: 1024 ** 3,
      },
      { caller: { user_id: 'u', experiment_id: 'e', namespace: 'n', cluster: 'c' }, owner: 'anonymous', runtime: 'docker', rockletToken: 't', nowMs: now },
    );
    expect((await plane.registry.create(record)).ok).toBe(true);
    const failed = await plane.waitForRecord('stuck', (r) => r?.state === 'stopped', 15_000);
    expect(failed?.failure_reason).toBe('startup timeout');
    expect(failed?.state_history.at(-1)).toMatchObject({ from_state: 'pending', event: 'startup_timeout' });
  });
});
