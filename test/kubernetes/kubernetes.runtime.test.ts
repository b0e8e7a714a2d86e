import type { RuntimeHandle } from '@rock/runtime';
import { TEST_IMAGES } from '@rock/testing';
import { execute, isAlive, phaseDurations, phaseLog, testSpec, uniqueSandboxId } from '../runtime/runtime-test-kit';
import { eventually, isList, isWatch, rejection, useHarness, type K8sHarness } from './k8s-test-kit';

jest.setTimeout(120_000);

const STARTUP_MS = 90_000;
let h: K8sHarness;
useHarness('k8s-driver', {}, (started) => (h = started));

describe('KubernetesRuntime against the API server double', () => {
  it('creates a pod whose rocklet answers on the pod IP after Ready, reports phases from watch events only, and deletes it', async () => {
    const id = uniqueSandboxId('k8s');
    const phases = phaseLog();
    const spec = testSpec(id, { env: { GREETING: 'from-the-pod' }, startupTimeoutMs: STARTUP_MS, pull: 'missing', limitCpus: 1 });
    const before = h.double.requests.length;
    const handle: RuntimeHandle = await h.runtime.create(spec, { onPhase: phases.onPhase });
    const createRequests = h.double.requests.slice(before).filter((r) => !isWatch(r));
    console.log(`k8s create phases: ${phaseDurations(phases.updates)}`);

    expect(phases.trail()).toEqual([
      'container_create:running', 'container_create:success',
      'image_pull:running', 'image_pull:success',
      'container_start:running', 'container_start:success',
      'rocklet_ready:running', 'rocklet_ready:success',
    ]);
    expect(createRequests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /api/v1/namespaces/${h.namespace}/pods`]);
    const pod = h.double.pod(h.namespace, `rock-${id}`);
    expect(handle).toMatchObject({ sandboxId: id, address: pod?.status?.podIP, rockletPort: 22555, resourceId: pod?.metadata?.uid });
    expect(await isAlive(handle)).toBe(true);
    const echo = await execute(handle, spec.rockletToken, ['sh', '-c', 'echo $GREETING; ls /rock/rocklet.js']);
    expect(echo.body.stdout).toBe('from-the-pod\n/rock/rocklet.js\n');

    expect(pod?.metadata?.labels).toMatchObject({ 'rock.managed': 'true', 'rock.sandbox-id': id, 'rock.instance': h.namespace });
    expect(pod?.spec).toMatchObject({ automountServiceAccountToken: false, enableServiceLinks: false, restartPolicy: 'Never', activeDeadlineSeconds: 86_400 });
    expect(pod?.spec?.initContainers?.[0]).toMatchObject({ image: 'rock-rocklet-runtime:latest', volumeMounts: [{ name: 'rock', mountPath: '/rock' }] });
    expect(pod?.spec?.containers[0]).toMatchObject({
      image: TEST_IMAGES.busybox,
      command: ['/rock/lib/ld-linux-x86-64.so.2', '--library-path', '/rock/lib', '/rock/bin/node', '/rock/rocklet.js', '--port', '22555'],
      resources: { requests: { cpu: '500m', memory: String(256 * 1024 * 1024) }, limits: { cpu: '1000m' } },
      readinessProbe: { httpGet: { path: '/is_alive', port: 22555 } },
    });
    expect(pod?.spec?.containers[0]?.env).toContainEqual({ name: 'ROCKLET_TOKEN', value: spec.rockletToken });

    expect((await h.runtime.list()).map((r) => r.sandboxId)).toContain(id);
    expect(await h.runtime.inspect(id)).toMatchObject({ status: 'running', running: true, address: handle.address });

    const beforeDestroy = h.double.requests.length;
    await h.runtime.destroy(id);
    const destroyRequests = h.double.requests.slice(beforeDestroy).filter((r) => !isWatch(r));
    expect(destroyRequests).toEqual([{ method: 'DELETE', path: `/api/v1/namespaces/${h.namespace}/pods/rock-${id}`, query: { gracePeriodSeconds: '0' } }]);
    expect(h.double.pod(h.namespace, `rock-${id}`)).toBeUndefined();
    expect(await h.runtime.inspect(id)).toBeNull();
    await h.runtime.destroy(id);
    expect(h.lost).toEqual([]);
  });

  it('fails a missing image fast in image_pull with the kubelet message, and deletes the pod', async () => {
    const id = uniqueSandboxId('k8s-pull');
    const phases = phaseLog();
    const started = Date.now();
    const err = await rejection(h.runtime.create(testSpec(id, { image: 'rock-no-such-image:v0', startupTimeoutMs: STARTUP_MS }), { onPhase: phases.onPhase }));
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(err).toMatchObject({ code: 'IMAGE_PULL_FAILED', phase: 'image_pull', transient: false });
    expect(err.message).toMatch(/^ErrImagePull for image "rock-no-such-image:v0": Failed to pull image "rock-no-such-image:v0"/);
    expect(phases.trail().slice(-1)).toEqual(['image_pull:failed']);
    expect(phases.updates.at(-1)?.message).toBe(err.message);
    expect(h.double.pod(h.namespace, `rock-${id}`)).toBeUndefined();
    expect(await h.runtime.list()).toEqual([]);
  });

  it('refuses a second pod for the same sandbox id with CONFLICT and keeps the first', async () => {
    const id = uniqueSandboxId('k8s-dup');
    const first = h.runtime.create(testSpec(id, { startupTimeoutMs: STARTUP_MS }));
    await eventually('the first pod', () => !!h.double.pod(h.namespace, `rock-${id}`));
    const err = await rejection(h.runtime.create(testSpec(id, { startupTimeoutMs: STARTUP_MS })));
    expect(err).toMatchObject({ code: 'CONFLICT', phase: 'container_create' });
    const handle = await first;
    expect(await isAlive(handle)).toBe(true);
    await h.runtime.destroy(id);
  });

  it('reports a pod deleted behind its back as lost (watch DELETED) and drops it from list()', async () => {
    const id = uniqueSandboxId('k8s-lost');
    await h.runtime.create(testSpec(id, { startupTimeoutMs: STARTUP_MS }));
    expect(h.double.deletePodBehindTheBack(h.namespace, `rock-${id}`)).toBe(true);
    await eventually('the lost report', () => h.lost.some((l) => l.sandboxId === id));
    expect(h.lost.filter((l) => l.sandboxId === id)).toEqual([{ sandboxId: id, reason: 'pod was deleted outside ROCK' }]);
    expect((await h.runtime.list()).map((r) => r.sandboxId)).not.toContain(id);
  });

  it('resumes a dropped watch from the last resourceVersion without relisting, and still sees what happened meanwhile', async () => {
    const id = uniqueSandboxId('k8s-resume');
    await h.runtime.create(testSpec(id, { startupTimeoutMs: STARTUP_MS }));
    const lists = h.double.requests.filter(isList).length;
    const rv = h.runtime.resourceVersion();
    const watchesBefore = h.double.requests.length;
    h.double.dropWatches();
    h.double.deletePodBehindTheBack(h.namespace, `rock-${id}`);
    await eventually('the lost report', () => h.lost.some((l) => l.sandboxId === id));
    const rewatches = h.double.requests.slice(watchesBefore).filter(isWatch);
    expect(rewatches[0]?.query).toMatchObject({ resourceVersion: rv, allowWatchBookmarks: 'true' });
    expect(h.double.requests.filter(isList)).toHaveLength(lists);
  });

  it('relists after 410 Gone: a pod deleted while the history was compacted is noticed through the relist', async () => {
    const id = uniqueSandboxId('k8s-gone');
    await h.runtime.create(testSpec(id, { startupTimeoutMs: STARTUP_MS }));
    const lists = h.double.requests.filter(isList).length;
    h.double.dropWatches();
    h.double.deletePodBehindTheBack(h.namespace, `rock-${id}`);
    h.double.compact();
    await eventually('the lost report', () => h.lost.some((l) => l.sandboxId === id));
    expect(h.double.requests.filter(isList)).toHaveLength(lists + 1);
    const id2 = uniqueSandboxId('k8s-after');
    const handle = await h.runtime.create(testSpec(id2, { startupTimeoutMs: STARTUP_MS }));
    expect(await isAlive(handle)).toBe(true);
    await h.runtime.destroy(id2);
  });
});
