import { dockerForTests, TEST_IMAGES, uniqueTestLabel } from '@rock/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlPlane, SANDBOX_API, type WriteProcess } from '../control-plane/write-service-fixture';
import { startReadReplica, type ReadReplica } from '../read/read-harness';
import { K8sApiDouble } from '../support/k8s-api-double';
import { doubleContainers, ROCKLET_RUNTIME_IMAGE } from './k8s-test-kit';

jest.setTimeout(180_000);

describe('full path on ROCK_RUNTIME=kubernetes: write → queue → driver → pod → read → rocklet', () => {
  let double: K8sApiDouble;
  let plane: ControlPlane;
  let write: WriteProcess;
  let read: ReadReplica;
  const dir = mkdtempSync(join(tmpdir(), 'rock-k8s-path-'));
  const ns = uniqueTestLabel('k8s-path').slice(0, 63);

  beforeAll(async () => {
    double = await K8sApiDouble.start({ docker: dockerForTests() });
    const kubeconfig = double.writeKubeconfig(join(dir, 'kubeconfig'));
    plane = new ControlPlane({
      name: 'k8s',
      runtime: 'docker',
      env: { ROCK_RUNTIME: 'kubernetes', ROCK_K8S_KUBECONFIG: kubeconfig, ROCK_K8S_NAMESPACE: ns, ROCK_K8S_ROCKLET_IMAGE: ROCKLET_RUNTIME_IMAGE },
    });
    write = await plane.start();
    read = await startReadReplica(plane.prefix);
  });

  afterAll(async () => {
    await read?.stop();
    await plane?.cleanup();
    await double?.close();
    expect(await doubleContainers(double)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts a sandbox as a pod, executes through the read service on the pod IP, and stop deletes the pod', async () => {
    const sandboxId = 'k8s-full-path';
    const started = await write.post(`${SANDBOX_API}/start`, { image: TEST_IMAGES.busybox, sandbox_id: sandboxId, memory: '256m', cpus: 0.5 });
    expect(started.body).toMatchObject({ status: 'Success', result: { sandbox_id: sandboxId } });
    const pod = double.pod(ns, `rock-${sandboxId}`);
    expect(pod?.metadata?.labels).toMatchObject({ 'rock.sandbox-id': sandboxId, 'rock.instance': plane.instance });
    const record = await plane.registry.get(sandboxId);
    expect(record).toMatchObject({ state: 'running', host_ip: pod?.status?.podIP });
    expect(record?.status.image_pull.status).toBe('success');
    expect(record?.status.rocklet_ready.status).toBe('success');

    const executed = await read.post<{ status: string; result: { stdout: string; exit_code: number } }>(`${SANDBOX_API}/execute`, {
      sandbox_id: sandboxId,
      command: ['sh', '-c', 'echo hello-from-pod; ls /rock/rocklet.js'],
    });
    expect(executed.body).toMatchObject({ status: 'Success', result: { stdout: 'hello-from-pod\n/rock/rocklet.js\n', exit_code: 0 } });

    const stopped = await write.post(`${SANDBOX_API}/stop`, { sandbox_id: sandboxId });
    expect(stopped.body.status).toBe('Success');
    expect(double.pod(ns, `rock-${sandboxId}`)).toBeUndefined();
    expect((await plane.registry.get(sandboxId))?.state).toBe('stopped');
  });

  it('a missing image fails the start in image_pull with the kubelet message', async () => {
    const res = await write.post(`${SANDBOX_API}/start`, { image: 'rock-no-such-image:v0', sandbox_id: 'k8s-missing', memory: '256m', cpus: 0.5 });
    expect(JSON.stringify(res.body)).toContain('ErrImagePull');
    const record = await plane.registry.get('k8s-missing');
    expect(record?.state).toBe('stopped');
    expect(record?.status.image_pull.status).toBe('failed');
    expect(double.pod(ns, 'rock-k8s-missing')).toBeUndefined();
  });
});
