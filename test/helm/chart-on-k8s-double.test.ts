import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerForTests, TEST_IMAGES, uniqueTestLabel } from '@rock/testing';
import { ControlPlane, SANDBOX_API, type WriteProcess } from '../control-plane/write-service-fixture';
import { K8sApiDouble } from '../support/k8s-api-double';
import { ROCKLET_RUNTIME_IMAGE } from '../kubernetes/k8s-test-kit';
import { findObject, renderChart, type K8sObject } from './support/chart';
import { CHART_DIR, ensureK8sTools } from './support/k8s-tools';

// The chart's sandbox settings as the write service really applies them: the write process runs
// with the ROCK_K8S_* environment rendered from ci/gvisor-values.yaml against the test-only API
// server double, and the pod it creates must carry what the values asked for and be selected by
// the chart's NetworkPolicy.
jest.setTimeout(240_000);

const dir = mkdtempSync(join(tmpdir(), 'rock-chart-k8s-'));
const namespace = uniqueTestLabel('chart-k8s').slice(0, 63);
let double: K8sApiDouble;
let plane: ControlPlane;
let write: WriteProcess;
let objects: K8sObject[];

interface EnvVar { name: string; value?: string }
interface PodTemplate { spec: { containers: { env?: EnvVar[] }[] } }

beforeAll(async () => {
  double = await K8sApiDouble.start({ docker: dockerForTests() });
  const kubeconfig = double.writeKubeconfig(join(dir, 'kubeconfig'));
  plane = new ControlPlane({ name: 'chart-k8s', runtime: 'docker' });
  const tools = await ensureK8sTools();
  objects = (await renderChart(tools.helm, {
    valuesFiles: [join(CHART_DIR, 'ci', 'gvisor-values.yaml')],
    set: { 'sandbox.namespace': namespace, 'config.instance': plane.instance, 'sandbox.rockletImage': ROCKLET_RUNTIME_IMAGE },
    setJson: { 'sandbox.imagePullSecrets': [] },
  })).objects;
  const rendered = (findObject(objects, 'Deployment', '-write').spec as { template: PodTemplate }).template.spec.containers[0].env ?? [];
  // Only the sandbox/runtime settings: Redis, port and prefixes stay the test's own.
  const env = Object.fromEntries(rendered.filter((e) => /^ROCK_(K8S_|RUNTIME$|INSTANCE$)/.test(e.name) && e.value !== undefined).map((e) => [e.name, e.value ?? '']));
  write = await plane.start({ ...env, ROCK_K8S_KUBECONFIG: kubeconfig });
});

afterAll(async () => {
  await plane?.cleanup();
  await double?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the pod carries the runtimeClass, node selector and tolerations of the values, and the NetworkPolicy selects it', async () => {
  const sandboxId = 'chart-gvisor';
  const started = await write.post(`${SANDBOX_API}/start_async`, { image: TEST_IMAGES.busybox, sandbox_id: sandboxId, memory: '256m', cpus: 0.5 });
  expect(started.body.status).toBe('Success');
  const deadline = Date.now() + 60_000;
  let pod = double.pod(namespace, `rock-${sandboxId}`);
  while (!pod && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    pod = double.pod(namespace, `rock-${sandboxId}`);
  }
  expect(pod?.spec?.runtimeClassName).toBe('gvisor');
  expect(pod?.spec?.nodeSelector).toEqual({ 'rock.io/sandbox-node': 'true', 'rock.io/sandbox-pool': 'gvisor' });
  expect(pod?.spec?.tolerations).toEqual([{ key: 'rock.io/sandbox', operator: 'Exists', effect: 'NoSchedule' }]);
  const policy = findObject(objects, 'NetworkPolicy', 'sandboxes');
  expect(policy.metadata.namespace).toBe(namespace);
  const selector = (policy.spec as { podSelector: { matchLabels: Record<string, string> } }).podSelector.matchLabels;
  expect(pod?.metadata?.labels).toMatchObject(selector);
  expect(findObject(objects, 'Role', 'sandbox-manager').metadata.namespace).toBe(namespace);

  const stopped = await write.post(`${SANDBOX_API}/stop`, { sandbox_id: sandboxId });
  expect(stopped.body.status).toBe('Success');
});
