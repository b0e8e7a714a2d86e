import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ControlPlane, SANDBOX_API, type WriteProcess } from '../control-plane/write-service-fixture';
import { startReadReplica, type ReadReplica } from '../read/read-harness';
import { slotDirs, waitFor } from './warm-pool-kit';

jest.setTimeout(180_000);

const POOL = 3;

/** A metric sample's value from the write service's /metrics (0 when absent). */
async function metric(write: WriteProcess, series: string): Promise<number> {
  const text = String((await write.request('/metrics')).body);
  const line = text.split('\n').find((l) => l.startsWith(`${series} `) || l.startsWith(`${series}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** `ROCK_LOCAL_WARM` marker values (one per pooled or pool-born sandbox) of live host processes. */
async function warmMarkers(instance: string): Promise<Set<string>> {
  const prefix = `ROCK_LOCAL_WARM=${instance}/`;
  const found = new Set<string>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const environ = await readFile(`/proc/${name}/environ`, 'utf8').catch(() => '');
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => ' ) Z');
    if (stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z') continue;
    for (const entry of environ.split('\0')) if (entry.startsWith(prefix)) found.add(entry.slice(prefix.length));
  }
  return found;
}

/** Names of the pool's own slot directories (not the slots sandboxes took). */
async function slots(plane: ControlPlane): Promise<string[]> {
  return [...(await slotDirs(join('/tmp', plane.id))).pooled.keys()].sort();
}

describe('write service with a local warm pool', () => {
  const plane = new ControlPlane({
    name: 'warm-pool',
    runtime: 'local',
    env: { ROCK_LOCAL_WARM_POOL: String(POOL), ROCK_RECONCILER_INTERVAL_MS: '1000' },
  });
  let read: ReadReplica | undefined;

  afterAll(async () => {
    await read?.stop();
    await plane.cleanup();
  });

  it('creates take pooled rocklets (token stored, env merged per call), the reconciler leaves the pool alone, SIGKILL + restart leaves only the new pool, SIGTERM drains it', async () => {
    const first = await plane.start();
    await waitFor(`pool of ${POOL} ready`, async () => (await metric(first, 'rock_local_warm_pool_ready')) === POOL);
    const pooled = await slots(plane);
    expect(pooled).toHaveLength(POOL);
    expect([...(await warmMarkers(plane.instance))].sort()).toEqual(pooled);

    const started = await first.post(`${SANDBOX_API}/start`, { image: 'any', sandbox_id: 'wp-1', memory: '128m', cpus: 0.1, env: { GREETING: 'hi pool' } });
    expect(started.body.status).toBe('Success');
    expect(await metric(first, 'rock_local_warm_pool_takes_total{outcome="hit",service="write"}')).toBe(1);
    const record = await plane.registry.get('wp-1');
    // The state file and <root>/wp-1 link are written once creates pause (at most 0.5 s later).
    const stateFile = join('/tmp', plane.id, 'wp-1', 'sandbox.json');
    await waitFor('wp-1 recorded on disk', () => readFile(stateFile).then(() => true, () => false), 5_000);
    const { marker } = JSON.parse(await readFile(stateFile, 'utf8')) as { marker: string };
    expect(pooled.map((slot) => `ROCK_LOCAL_WARM=${plane.instance}/${slot}`)).toContain(marker);
    expect(record?.status.container_create.message).toMatch(/from the warm pool/);

    // The read service reaches the pooled rocklet with the stored token and merges the create-time env.
    read = await startReadReplica(plane.prefix);
    const echoed = await read.post<{ status: string; result: { stdout: string } }>(`${SANDBOX_API}/execute`, {
      sandbox_id: 'wp-1', command: ['sh', '-c', 'echo "$GREETING"; pwd -P'],
    });
    expect(echoed.body.status).toBe('Success');
    // The rocklet runs in its slot, which <root>/wp-1 links to.
    const slot = await readlink(join('/tmp', plane.id, 'wp-1'));
    expect(pooled.map((name) => `.warm-pool/${name}`)).toContain(slot);
    expect(echoed.body.result.stdout).toBe(`hi pool\n/tmp/${plane.id}/${slot}/home\n`);

    // Reconciler ticks (every second) see the sandbox, not the pool: nothing is destroyed.
    await waitFor('pool refilled', async () => (await metric(first, 'rock_local_warm_pool_ready')) === POOL);
    const refilled = await slots(plane);
    const reconciles = (): Promise<number> => metric(first, 'rock_lifecycle_jobs_total{type="reconcile",outcome="success",service="write"}');
    const ticksBefore = await reconciles();
    await waitFor('two more reconciler ticks', async () => (await reconciles()) >= ticksBefore + 2, 20_000);
    expect(await slots(plane)).toEqual(refilled);
    expect((await warmMarkers(plane.instance)).size).toBe(POOL + 1);
    expect((await plane.registry.get('wp-1'))?.state).toBe('running');

    await first.kill9();
    const second = await plane.start();
    await waitFor(`new pool of ${POOL} ready`, async () => (await metric(second, 'rock_local_warm_pool_ready')) === POOL);
    const fresh = await slots(plane);
    expect(fresh.filter((slot) => refilled.includes(slot))).toEqual([]);
    await waitFor('only the new pool runs', async () => [...(await warmMarkers(plane.instance))].sort().join() === fresh.join(), 15_000);
    await plane.waitForRecord('wp-1', (r) => r?.state === 'stopped', 15_000);
    // The reconciler's destroy of the lost sandbox removed its link and slot.
    await waitFor('wp-1 removed', async () => !(await lstat(join('/tmp', plane.id, 'wp-1')).catch(() => null)) && (await slotDirs(join('/tmp', plane.id))).taken.size === 0, 15_000);

    expect(await second.stop()).toBe(0);
    expect((await warmMarkers(plane.instance)).size).toBe(0);
    expect(await slots(plane)).toEqual([]);
  });
});
