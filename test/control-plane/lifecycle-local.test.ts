import { markedProcesses, waitUntil } from '@rock/testing';
import { ControlPlane, SANDBOX_API, type WriteProcess } from './write-service-fixture';

jest.setTimeout(90_000);

const small = { memory: '128m', cpus: 0.5 };

describe('write service on the local runtime', () => {
  const plane = new ControlPlane({ name: 'local', runtime: 'local' });
  let write: WriteProcess;

  beforeAll(async () => {
    write = await plane.start();
  });
  afterAll(async () => plane.cleanup());

  it('start (sync) runs a rocklet process with an address, stop stops it', async () => {
    const started = await write.post(`${SANDBOX_API}/start`, { image: 'any', sandbox_id: 'local-sync', ...small });
    expect(started.body).toMatchObject({ status: 'Success', result: { sandbox_id: 'local-sync', host_ip: '127.0.0.1' } });
    const record = await plane.registry.get('local-sync');
    expect(record).toMatchObject({ state: 'running', runtime: 'local' });
    expect(Object.keys(record?.port_mapping ?? {})).toEqual(['22555']);
    expect(await (await fetch(`${record?.rocklet_url}/is_alive`)).json()).toMatchObject({ is_alive: true });
    expect((await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'local-sync' })).body.result).toBe('local-sync stopped');
    expect((await plane.registry.get('local-sync'))?.state).toBe('stopped');
    await expect(fetch(`${record?.rocklet_url}/is_alive`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });

  it('reuses a sandbox id after a stop (the new incarnation gets its own jobs)', async () => {
    for (let round = 0; round < 2; round += 1) {
      const res = await write.post(`${SANDBOX_API}/start`, { image: 'any', sandbox_id: 'local-reuse', ...small });
      expect(res.body).toMatchObject({ status: 'Success', result: { sandbox_id: 'local-reuse' } });
      expect((await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'local-reuse' })).body.status).toBe('Success');
    }
    const record = await plane.registry.get('local-reuse');
    expect(record?.state_history.map((h) => h.to_state)).toEqual(['pending', 'running', 'stopped']);
  });

  it('start_async answers pending and the sandbox then runs', async () => {
    const res = await write.post(`${SANDBOX_API}/start_async`, { image: 'any', sandbox_id: 'local-async', ...small });
    expect(res.body).toMatchObject({ status: 'Success', result: { sandbox_id: 'local-async' } });
    const running = await plane.waitForRecord('local-async', (r) => r?.state === 'running');
    expect(running?.rocklet_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'local-async' });
    expect((await plane.registry.get('local-async'))?.state).toBe('stopped');
  });
});

describe('a stop racing its create (cold rocklets, so the create is still queued or booting)', () => {
  const plane = new ControlPlane({ name: 'stop-race', runtime: 'local', env: { ROCK_LOCAL_WARM_POOL: '0' } });
  let write: WriteProcess;

  beforeAll(async () => {
    write = await plane.start();
  });
  afterAll(async () => plane.cleanup());

  it('a stop right after start_async wins: stopped, and no rocklet of it keeps running', async () => {
    const ids = ['race-0', 'race-1', 'race-2', 'race-3'];
    await Promise.all(
      ids.map(async (id) => {
        expect((await write.post(`${SANDBOX_API}/start_async`, { image: 'any', sandbox_id: id, ...small })).body.status).toBe('Success');
        expect((await write.post(`${SANDBOX_API}/stop`, { sandbox_id: id })).body.result).toBe(`${id} stopped`);
      }),
    );
    for (const id of ids) expect((await plane.registry.get(id))?.state).toBe('stopped');
    // A create job that ran after its stop must remove what it made; nothing of this plane may run.
    expect(await waitUntil(() => markedProcesses(plane.instance).length === 0, 10_000)).toBe(true);
  });
});

describe('admission caps', () => {
  const plane = new ControlPlane({ name: 'admission', runtime: 'local', env: { ROCK_MAX_SANDBOXES: '2', ROCK_MAX_TOTAL_CPUS: '3' } });
  let write: WriteProcess;

  beforeAll(async () => {
    write = await plane.start();
  });
  afterAll(async () => plane.cleanup());

  it('refuses past the live-sandbox cap with a clear reason, and admits again after a stop', async () => {
    for (const id of ['cap-1', 'cap-2']) {
      expect((await write.post(`${SANDBOX_API}/start`, { image: 'any', sandbox_id: id, ...small })).body.status).toBe('Success');
    }
    const refused = await write.post(`${SANDBOX_API}/start`, { image: 'any', sandbox_id: 'cap-3', ...small });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({
      status: 'Failed',
      message: 'start sandbox failed',
      error: 'capacity reached: 2 of 2 live sandboxes',
      result: { code: 4000, failure_reason: 'capacity reached: 2 of 2 live sandboxes' },
    });
    const optIn = await write.post(`${SANDBOX_API}/start_async`, { image: 'any', sandbox_id: 'cap-3', ...small }, { 'x-rock-http-status': 'true' });
    expect(optIn.status).toBe(429);
    expect(Number(optIn.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await plane.registry.get('cap-3')).toBeNull();

    await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'cap-1' });
    expect((await write.post(`${SANDBOX_API}/start`, { image: 'any', sandbox_id: 'cap-3', ...small })).body.status).toBe('Success');
    const metrics = String((await write.request('/metrics')).body);
    expect(metrics).toMatch(/rock_admission_rejections_total\{[^}]*limit="max_sandboxes"[^}]*\} 2/);
    await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'cap-2' });
    await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'cap-3' });
  });

  it('refuses past the total-CPU cap, naming it', async () => {
    const big = await write.post(`${SANDBOX_API}/start_async`, { image: 'any', sandbox_id: 'cpu-hog', memory: '128m', cpus: 3.5 });
    expect(big.body.error).toBe('capacity reached: 0 of 3 CPUs already requested');
    expect(await plane.registry.aliveIds()).toEqual([]);
  });
});

describe('per-principal quotas (API keys name the principals)', () => {
  const ALICE = { 'x-api-key': 'alice-key-0123456789' };
  const BOB = { 'x-api-key': 'bob-key-0123456789ab' };
  const plane = new ControlPlane({
    name: 'principal-caps',
    runtime: 'local',
    env: { ROCK_API_KEYS: 'alice-key-0123456789:alice,bob-key-0123456789ab:bob', ROCK_PRINCIPAL_MAX_SANDBOXES: '1' },
  });
  let write: WriteProcess;

  beforeAll(async () => {
    write = await plane.start();
  });
  afterAll(async () => plane.cleanup());

  it('caps each principal on its own, naming the quota, and admits again after its stop', async () => {
    expect((await write.post(`${SANDBOX_API}/start`, { image: 'any', sandbox_id: 'alice-1', ...small }, ALICE)).body.status).toBe('Success');
    const refused = await write.post(`${SANDBOX_API}/start`, { image: 'any', sandbox_id: 'alice-2', ...small }, ALICE);
    expect(refused.body).toMatchObject({ status: 'Failed', error: 'quota reached: 1 of 1 live sandboxes for this principal' });
    expect((await write.post(`${SANDBOX_API}/start`, { image: 'any', sandbox_id: 'bob-1', ...small }, BOB)).body.status).toBe('Success');
    expect((await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'alice-1' }, ALICE)).body.status).toBe('Success');
    expect((await write.post(`${SANDBOX_API}/start`, { image: 'any', sandbox_id: 'alice-2', ...small }, ALICE)).body.status).toBe('Success');
    for (const [id, key] of [['alice-2', ALICE], ['bob-1', BOB]] as const) await write.post(`${SANDBOX_API}/stop`, { sandbox_id: id }, key);
  });
});
