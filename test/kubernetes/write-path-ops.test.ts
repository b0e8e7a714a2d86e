import type { V1PodList } from '@kubernetes/client-node';
import { dockerForTests, TEST_IMAGES, uniqueTestLabel } from '@rock/testing';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlPlane, SANDBOX_API, type WriteProcess } from '../control-plane/write-service-fixture';
import { startReadReplica, type ReadReplica } from '../read/read-harness';
import { K8sApiDouble } from '../support/k8s-api-double';
import { doubleContainers, ROCKLET_RUNTIME_IMAGE } from './k8s-test-kit';

jest.setTimeout(120_000);

const small = { image: TEST_IMAGES.busybox, memory: '128m', cpus: 0.2 };

/**
 * Operations on the full path with ROCK_RUNTIME=kubernetes against the API double: sessions and
 * files through the read service, idle reaping, pods lost behind ROCK's back, a resumed watch and
 * a write service killed mid-create.
 */
describe('full path on ROCK_RUNTIME=kubernetes: sessions, files, reaper, reconciler, crash, watch resume', () => {
  let double: K8sApiDouble;
  let plane: ControlPlane;
  let write: WriteProcess;
  let read: ReadReplica;
  const redis = new Redis('redis://127.0.0.1:6379');
  const dir = mkdtempSync(join(tmpdir(), 'rock-k8s-ops-'));
  const ns = uniqueTestLabel('k8s-ops').slice(0, 63);

  /** Pod names in the test namespace, as the double's API lists them. */
  async function podNames(): Promise<string[]> {
    const list = await double.get<V1PodList>(`/api/v1/namespaces/${ns}/pods`);
    return list.items.map((p) => p.metadata?.name ?? '').sort();
  }

  async function waitForPods(expected: string[], deadlineMs: number): Promise<string[]> {
    const deadline = Date.now() + deadlineMs;
    let names = await podNames();
    while (JSON.stringify(names) !== JSON.stringify(expected) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      names = await podNames();
    }
    return names;
  }

  beforeAll(async () => {
    double = await K8sApiDouble.start({ docker: dockerForTests() });
    const kubeconfig = double.writeKubeconfig(join(dir, 'kubeconfig'));
    plane = new ControlPlane({
      name: 'k8s-ops',
      runtime: 'docker',
      env: {
        ROCK_RUNTIME: 'kubernetes', ROCK_K8S_KUBECONFIG: kubeconfig, ROCK_K8S_NAMESPACE: ns, ROCK_K8S_ROCKLET_IMAGE: ROCKLET_RUNTIME_IMAGE,
        ROCK_REAPER_INTERVAL_MS: '300', ROCK_RECONCILER_INTERVAL_MS: '1000', ROCK_WORKER_CONCURRENCY: '4', ROCK_DEFAULT_STARTUP_TIMEOUT: '60',
      },
    });
    write = await plane.start();
    read = await startReadReplica(plane.prefix);
  });

  afterAll(async () => {
    redis.disconnect();
    await read?.stop();
    await plane?.cleanup();
    await double?.close();
    expect(await doubleContainers(double)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a create after every watch was dropped still completes (the driver resumes its watch)', async () => {
    expect((await write.post(`${SANDBOX_API}/start`, { ...small, sandbox_id: 'ops-warm' })).body.status).toBe('Success');
    const watchesBefore = double.requests.filter((r) => r.method === 'GET' && r.query.watch === 'true').length;
    double.dropWatches();
    const started = await write.post(`${SANDBOX_API}/start`, { ...small, sandbox_id: 'ops-main' });
    expect(started.body).toMatchObject({ status: 'Success', result: { sandbox_id: 'ops-main' } });
    expect((await plane.registry.get('ops-main'))?.state).toBe('running');
    expect(double.requests.filter((r) => r.method === 'GET' && r.query.watch === 'true').length).toBeGreaterThan(watchesBefore);
    expect((await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'ops-warm' })).body.status).toBe('Success');
    expect(double.pod(ns, 'rock-ops-warm')).toBeUndefined();
  });

  it('keeps session state and writes/reads files on the pod through the read service', async () => {
    expect((await read.post(`${SANDBOX_API}/create_session`, { sandbox_id: 'ops-main', session: 'main' })).body.status).toBe('Success');
    await read.post(`${SANDBOX_API}/run_in_session`, { sandbox_id: 'ops-main', session: 'main', command: 'cd /tmp && X=pod-5' });
    const state = await read.post(`${SANDBOX_API}/run_in_session`, { sandbox_id: 'ops-main', session: 'main', command: 'echo "$PWD $X"' });
    expect(state.body).toMatchObject({ status: 'Success', result: { output: '/tmp pod-5', exit_code: 0 } });
    const content = 'line one\nline two ünïcode\n';
    expect((await read.post(`${SANDBOX_API}/write_file`, { sandbox_id: 'ops-main', path: '/tmp/notes.txt', content })).body.status).toBe('Success');
    expect((await read.post(`${SANDBOX_API}/read_file`, { sandbox_id: 'ops-main', path: '/tmp/notes.txt' })).body.result).toEqual({ content });
    const seen = await read.post(`${SANDBOX_API}/execute`, { sandbox_id: 'ops-main', command: 'wc -l < /tmp/notes.txt', shell: true });
    expect(seen.body).toMatchObject({ status: 'Success', result: { stdout: '2\n', exit_code: 0 } });
  });

  it('reaps a sandbox whose idle deadline passed and deletes its pod', async () => {
    expect(double.pod(ns, 'rock-ops-main')).toBeDefined();
    // The read service writes idle touches up to 1 s after the call (coalesced); let the previous
    // test's touches land first, or one would push the shortened deadline out again.
    await new Promise((r) => setTimeout(r, 1500));
    await redis.zadd(`${plane.prefix}expiry`, 'XX', Date.now() + 500, 'ops-main');
    const reaped = await plane.waitForRecord('ops-main', (r) => r?.state === 'stopped', 15_000);
    expect(reaped?.state_history.at(-1)).toMatchObject({ from_state: 'running', to_state: 'stopped', event: 'idle' });
    expect(await waitForPods([], 10_000)).toEqual([]);
  });

  it('marks a sandbox whose pod was deleted behind its back as stopped with reason lost', async () => {
    expect((await write.post(`${SANDBOX_API}/start`, { ...small, sandbox_id: 'ops-lost' })).body.status).toBe('Success');
    expect(double.deletePodBehindTheBack(ns, 'rock-ops-lost')).toBe(true);
    const lost = await plane.waitForRecord('ops-lost', (r) => r?.state === 'stopped', 15_000);
    expect(lost?.failure_reason).toBe('lost');
    expect(lost?.state_history.at(-1)).toMatchObject({ to_state: 'stopped', event: 'lost' });
    expect(await plane.registry.aliveIds()).toEqual([]);
  });

  it('after a SIGKILL with creates in flight and a restart, every sandbox is running or cleaned and no pod is orphaned', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `ops-crash-${i}`);
    const answers = await Promise.all(ids.map((id) => write.post(`${SANDBOX_API}/start_async`, { ...small, sandbox_id: id })));
    expect(answers.map((a) => a.body.status)).toEqual(ids.map(() => 'Success'));
    const deadline = Date.now() + 20_000;
    while ((await podNames()).length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await write.kill9();
    expect((await plane.registry.getMany(ids)).filter((r) => r?.state === 'pending').length).toBeGreaterThan(0);

    write = await plane.start();
    const settled = await Promise.all(ids.map((id) => plane.waitForRecord(id, (r) => r?.state === 'running' || r?.state === 'stopped', 60_000)));
    const running = settled.filter((r) => r?.state === 'running').map((r) => `rock-${r?.sandbox_id}`);
    expect(running.length).toBeGreaterThan(0);
    // Pods of creates that did not survive are deleted by the retried job or the reconciler.
    expect(await waitForPods(running.sort(), 15_000)).toEqual(running.sort());
    expect(settled.filter((r) => r?.state === 'stopped').map((r) => `${r?.sandbox_id}: ${r?.failure_reason}`)).toEqual([]);

    await Promise.all(ids.map((id) => write.post(`${SANDBOX_API}/stop`, { sandbox_id: id })));
    expect(await podNames()).toEqual([]);
    expect(await plane.registry.aliveIds()).toEqual([]);
  });
});
