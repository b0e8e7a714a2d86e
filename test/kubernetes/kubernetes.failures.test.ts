import { KubernetesRuntime } from '@rock/runtime';
import { dockerForTests, rockletBundleDir } from '@rock/testing';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, phaseLog, testSpec, uniqueSandboxId } from '../runtime/runtime-test-kit';
import { K8sApiDouble, selfSignedCert } from '../support/k8s-api-double';
import { eventually, rejection, useHarness, type K8sHarness } from './k8s-test-kit';

jest.setTimeout(120_000);

const STARTUP_MS = 90_000;
let h: K8sHarness;
// The bundle is bind-mounted instead of copied by the init container (faster; the copy itself is
// covered by kubernetes.runtime.test.ts).
useHarness('k8s-failures', { bundleDir: rockletBundleDir() }, (started) => (h = started));

describe('KubernetesRuntime failure paths against the API server double', () => {
  it('reports a sandbox whose container died as lost (pod Failed) and inspect shows the exit code', async () => {
    const id = uniqueSandboxId('k8s-died');
    await h.runtime.create(testSpec(id, { startupTimeoutMs: STARTUP_MS }));
    const [containerId] = (await dockerForTests().listContainers({ filters: { label: [`rock.k8s-double.pod=rock-${id}`] } })).map((c) => c.Id);
    await dockerForTests().getContainer(containerId ?? '').kill({ signal: 'SIGKILL' });
    await eventually('the lost report', () => h.lost.some((l) => l.sandboxId === id));
    expect(h.lost.find((l) => l.sandboxId === id)?.reason).toBe('pod ended: container exited with code 137 (Error)');
    expect(await h.runtime.inspect(id)).toMatchObject({ status: 'exited', running: false, exitCode: 137, address: null });
    expect((await h.runtime.list()).find((r) => r.sandboxId === id)).toMatchObject({ running: false });
    await h.runtime.destroy(id);
    expect(await h.runtime.inspect(id)).toBeNull();
  });

  it('ends a create that misses its startup deadline with STARTUP_TIMEOUT in the phase it was in, and deletes the pod', async () => {
    const id = uniqueSandboxId('k8s-slow');
    const phases = phaseLog();
    const err = await rejection(h.runtime.create(testSpec(id, { startupTimeoutMs: 20 }), { onPhase: phases.onPhase }));
    expect(err).toMatchObject({ code: 'STARTUP_TIMEOUT', transient: true });
    expect(phases.trail().at(-1)).toBe(`${err.phase}:timeout`);
    expect(h.double.pod(h.namespace, `rock-${id}`)).toBeUndefined();
  });

  it('turns registry credentials into a per-sandbox dockerconfigjson Secret referenced by the pod, deleted with it', async () => {
    const id = uniqueSandboxId('k8s-cred');
    const handle = await h.runtime.create(testSpec(id, { startupTimeoutMs: STARTUP_MS, registryAuth: { username: 'bot', password: 's3cret' } }));
    expect(await isAlive(handle)).toBe(true);
    const secret = h.double.secret(h.namespace, `rock-${id}-pull`);
    expect(secret?.type).toBe('kubernetes.io/dockerconfigjson');
    expect(h.double.pod(h.namespace, `rock-${id}`)?.spec?.imagePullSecrets).toEqual([{ name: `rock-${id}-pull` }]);
    await h.runtime.destroy(id);
    expect(h.double.secret(h.namespace, `rock-${id}-pull`)).toBeUndefined();
  });

  it('lists and deletes only its own instance: a second driver on the same namespace sees none of its pods', async () => {
    const id = uniqueSandboxId('k8s-mine');
    await h.runtime.create(testSpec(id, { startupTimeoutMs: STARTUP_MS }));
    const dir = mkdtempSync(join(tmpdir(), 'rock-k8s-other-'));
    const other = new KubernetesRuntime({ namespace: h.namespace, instance: `${h.namespace}-other`, rockletImage: 'x', auth: { mode: 'kubeconfig', path: h.double.writeKubeconfig(join(dir, 'config')) } });
    try {
      expect(await other.list()).toEqual([]);
      expect(await other.inspect(id)).toBeNull();
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
    expect((await h.runtime.list()).map((r) => r.sandboxId)).toEqual([id]);
    await h.runtime.destroy(id);
  });

  it('spends one POST per create and one DELETE per destroy, also for concurrent creates (no polling, no relist)', async () => {
    const ids = [0, 1, 2, 3].map((i) => uniqueSandboxId(`k8s-cnt${i}`));
    const before = h.double.requests.length;
    const handles = await Promise.all(ids.map((id) => h.runtime.create(testSpec(id, { startupTimeoutMs: STARTUP_MS }))));
    for (const handle of handles) expect(await isAlive(handle)).toBe(true);
    for (const id of ids) await h.runtime.destroy(id);
    const calls = h.double.requests.slice(before).filter((r) => r.query.watch !== 'true');
    expect(calls.filter((r) => r.method === 'POST')).toHaveLength(ids.length);
    expect(calls.filter((r) => r.method === 'DELETE')).toHaveLength(ids.length);
    expect(calls).toHaveLength(2 * ids.length);
    expect(h.runtime.informerStats()).toMatchObject({ lists: 1, relistsAfterGone: 0 });
  });

  it('the activeDeadlineSeconds safety net ends a pod that outlived it, and the driver reports it lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rock-k8s-deadline-'));
    const lost: Array<{ sandboxId: string; reason: string }> = [];
    const short = new KubernetesRuntime({
      namespace: h.namespace,
      instance: `${h.namespace}-short`,
      rockletImage: 'rock-rocklet-runtime:latest',
      activeDeadlineSeconds: 10,
      auth: { mode: 'kubeconfig', path: h.double.writeKubeconfig(join(dir, 'config')) },
      onLost: (sandboxId, reason) => lost.push({ sandboxId, reason }),
    });
    const id = uniqueSandboxId('k8s-deadline');
    try {
      const handle = await short.create(testSpec(id, { startupTimeoutMs: 9000 }));
      expect(await isAlive(handle)).toBe(true);
      await eventually('the deadline', () => lost.length > 0, 30_000);
      expect(lost).toEqual([{ sandboxId: id, reason: 'pod ended: DeadlineExceeded; Pod was active on the node longer than the specified deadline' }]);
      expect(await short.inspect(id)).toMatchObject({ status: 'exited', running: false });
    } finally {
      await short.destroy(id);
      await short.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails clearly (RUNTIME_ERROR naming the 401) when the API server rejects its credentials', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rock-k8s-auth-'));
    const path = h.double.writeKubeconfig(join(dir, 'config'));
    writeFileSync(path, readFileSync(path, 'utf8').replace(h.double.token, 'wrong-token'));
    const bad = new KubernetesRuntime({ namespace: h.namespace, instance: 'bad', rockletImage: 'x', auth: { mode: 'kubeconfig', path } });
    try {
      const err = await rejection(bad.create(testSpec(uniqueSandboxId('k8s-401'))));
      expect(err).toMatchObject({ code: 'RUNTIME_ERROR', transient: false });
      expect(err.message).toBe('listing sandbox pods: API server answered 401: Unauthorized');
    } finally {
      await bad.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verifies the API server certificate: a kubeconfig trusting another CA fails as unreachable, naming the TLS error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rock-k8s-ca-'));
    const path = h.double.writeKubeconfig(join(dir, 'config'));
    const other = (await selfSignedCert()).cert;
    writeFileSync(path, readFileSync(path, 'utf8').replace(Buffer.from(h.double.ca).toString('base64'), Buffer.from(other).toString('base64')));
    const untrusting = new KubernetesRuntime({ namespace: h.namespace, instance: 'tls', rockletImage: 'x', auth: { mode: 'kubeconfig', path } });
    try {
      const err = await rejection(untrusting.list());
      expect(err).toMatchObject({ code: 'RUNTIME_UNAVAILABLE', transient: true });
      expect(err.message).toMatch(/^listing sandbox pods: API server unreachable: fetch failed: .*(self[- ]signed|certificate)/);
    } finally {
      await untrusting.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports an API server that is down as RUNTIME_UNAVAILABLE (transient), naming the connection error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rock-k8s-down-'));
    const down = await K8sApiDouble.start({ docker: dockerForTests() });
    const path = down.writeKubeconfig(join(dir, 'config'));
    await down.close();
    const orphan = new KubernetesRuntime({ namespace: h.namespace, instance: 'down', rockletImage: 'x', auth: { mode: 'kubeconfig', path } });
    try {
      const err = await rejection(orphan.create(testSpec(uniqueSandboxId('k8s-down'))));
      expect(err).toMatchObject({ code: 'RUNTIME_UNAVAILABLE', transient: true });
      expect(err.message).toMatch(/^listing sandbox pods: API server unreachable: fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    } finally {
      await orphan.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("spaces client-node's requests by the client-side rate limit (qps 4, burst 1)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rock-k8s-qps-'));
    const slow = new KubernetesRuntime({
      namespace: h.namespace, instance: `${h.namespace}-qps`, rockletImage: 'x', qps: 4, burst: 1,
      auth: { mode: 'kubeconfig', path: h.double.writeKubeconfig(join(dir, 'config')) },
    });
    try {
      const before = h.double.requests.length;
      const started = Date.now();
      await slow.start();
      await Promise.all([slow.destroy('qps-a'), slow.destroy('qps-b')]);
      const elapsed = Date.now() - started;
      const sent = h.double.requests.slice(before).map((r) => `${r.method} ${r.query.watch === 'true' ? 'watch' : r.path.split('/').at(-1)}`);
      expect(sent.sort()).toEqual(['DELETE rock-qps-a', 'DELETE rock-qps-b', 'GET pods', 'GET watch']);
      expect(elapsed).toBeGreaterThanOrEqual(3 * 250 - 20);
    } finally {
      await slow.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
