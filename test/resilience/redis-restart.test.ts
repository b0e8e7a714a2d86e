/**
 * Redis restarted mid-run: write + read services (real processes, local runtime) against a PRIVATE
 * redis-server with AOF on. After SIGTERM + start again on the same port and data directory, both
 * services reconnect by themselves and keep serving (execute in existing sandboxes, new creates
 * through the BullMQ worker, stop), and no registry record is lost.
 */
import { SandboxRegistry, type SandboxRecord } from '@rock/registry';
import { markedProcesses } from '@rock/testing';
import { ControlPlane, SANDBOX_API, type WriteProcess } from '../control-plane/write-service-fixture';
import { startReadReplica, type ReadReplica } from '../read/read-harness';
import { PrivateRedis } from './private-redis';

jest.setTimeout(240_000);

/** Retries `attempt` until it returns true or `deadlineMs` passes; returns the elapsed ms. */
async function eventually(what: string, attempt: () => Promise<boolean>, deadlineMs = 30_000): Promise<number> {
  const started = Date.now();
  let last = '';
  while (Date.now() - started < deadlineMs) {
    try {
      if (await attempt()) return Date.now() - started;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not succeed within ${deadlineMs} ms ${last}`);
}

function summary(records: (SandboxRecord | null)[]): string[] {
  return records.map((r) => `${r?.sandbox_id}:${r?.state}:${r?.rocklet_url}`).sort();
}

describe('Redis restarted mid-run', () => {
  let redis: PrivateRedis;
  let plane: ControlPlane;
  let registry: SandboxRegistry;
  let write: WriteProcess;
  let read: ReadReplica;
  const ids = ['rr-0', 'rr-1', 'rr-2'];

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    plane = new ControlPlane({ name: 'redis-restart', runtime: 'local', env: { ROCK_REDIS_URL: redis.url, ROCK_REGISTRY_CACHE_TTL_MS: '500', ROCK_LOCAL_WARM_POOL: '0' } });
    // No warm pool: every sandbox is cold-booted, so "no marked process left" covers all of them.
    registry = SandboxRegistry.connect(redis.url, { prefix: plane.prefix });
    write = await plane.start();
    read = await startReadReplica(plane.prefix, { ROCK_REDIS_URL: redis.url, ROCK_REGISTRY_CACHE_TTL_MS: '500' });
  });

  afterAll(async () => {
    await read?.stop();
    await plane?.cleanup();
    // A failed run must not leave rocklets behind: kill whatever still carries this instance's marker.
    for (const pid of plane ? markedProcesses(plane.instance) : []) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
    await registry?.close();
    await redis?.destroy();
  });

  const execute = async (id: string, word: string): Promise<boolean> => {
    const answer = await read.post(`${SANDBOX_API}/execute`, { sandbox_id: id, command: ['echo', word] });
    return answer.body.status === 'Success' && answer.body.result?.stdout === `${word}\n`;
  };

  it('services reconnect, keep serving, and every record survives', async () => {
    const started = await Promise.all(ids.map((id) => write.post(`${SANDBOX_API}/start`, { image: 'any', sandbox_id: id, memory: '128m', cpus: 0.2 })));
    expect(started.map((a) => a.body.status)).toEqual(ids.map(() => 'Success'));
    for (const id of ids) expect(await execute(id, `before-${id}`)).toBe(true);
    const before = summary(await registry.getMany(ids));
    expect(before.every((line) => line.includes(':running:'))).toBe(true);

    await redis.restart(500);

    // Both services reconnect on their own (bounded): execute through the read replica and a create
    // through the write service's queue worker, then the records read back unchanged.
    await eventually('execute after the restart', () => execute('rr-0', 'after-0'));
    const created = await write.post(`${SANDBOX_API}/start`, { image: 'any', sandbox_id: 'rr-new', memory: '128m', cpus: 0.2 });
    expect(created.body).toMatchObject({ status: 'Success', result: { sandbox_id: 'rr-new' } });
    for (const id of [...ids, 'rr-new']) expect(await execute(id, `again-${id}`)).toBe(true);
    expect(summary(await registry.getMany(ids))).toEqual(before);
    expect((await registry.get('rr-new'))?.state).toBe('running');
    const status = await read.get(`${SANDBOX_API}/get_status?sandbox_id=rr-1`);
    expect(status.body).toMatchObject({ status: 'Success', result: { sandbox_id: 'rr-1', state: 'running', is_alive: true } });

    // Stop still works end to end and leaves no rocklet process behind.
    const stopped = await Promise.all([...ids, 'rr-new'].map((id) => write.post(`${SANDBOX_API}/stop`, { sandbox_id: id })));
    expect(stopped.map((a) => a.body.status)).toEqual(['Success', 'Success', 'Success', 'Success']);
    expect((await registry.getMany([...ids, 'rr-new'])).map((r) => r?.state)).toEqual(['stopped', 'stopped', 'stopped', 'stopped']);
    await eventually('rocklet processes gone', () => Promise.resolve(markedProcesses(plane.instance).length === 0), 10_000);
  });

  it('a create issued while Redis is down gets an answer, and creates work again once it is back', async () => {
    await redis.stop();
    // Either a clear failure or, if the client queued the command offline, a success once Redis
    // returns: never a hang and never a crash of the write process.
    const pending = write.post(`${SANDBOX_API}/start_async`, { image: 'any', sandbox_id: 'rr-down', memory: '128m', cpus: 0.2 });
    await new Promise((r) => setTimeout(r, 2000));
    await redis.restart();
    const during = await pending;
    const outcome = String(during.body.status);
    expect(['Success', 'Failed']).toContain(outcome);
    if (outcome === 'Failed') expect(String(during.body.error)).toMatch(/\w{3,}/);
    else await eventually('the queued create to run', async () => (await registry.get('rr-down'))?.state === 'running');
    expect(write.child.exitCode).toBeNull();
    // Each attempt uses a fresh id, so a half-done earlier attempt cannot turn the next into a duplicate.
    const tried: string[] = [];
    let back = '';
    await eventually('a create after Redis came back', async () => {
      const id = `rr-back-${tried.length}`;
      tried.push(id);
      const answer = await write.post(`${SANDBOX_API}/start`, { image: 'any', sandbox_id: id, memory: '128m', cpus: 0.2 });
      if (String(answer.body.status) === 'Success') back = id;
      return back !== '';
    });
    expect(await execute(back, 'back')).toBe(true);
    for (const id of tried) await write.post(`${SANDBOX_API}/stop`, { sandbox_id: id });
    expect((await registry.get(back))?.state).toBe('stopped');
    if (outcome === 'Success') await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'rr-down' });
    await eventually('rocklet processes gone', () => Promise.resolve(markedProcesses(plane.instance).length === 0), 10_000);
  });
});
