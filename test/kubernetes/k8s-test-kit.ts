/** Helpers of the Kubernetes driver tests: the API double, a driver pointed at it, lost reports. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubernetesRuntime, RuntimeError, type KubernetesRuntimeOptions } from '@rock/runtime';
import { dockerForTests, uniqueTestLabel } from '@rock/testing';
import { K8sApiDouble, type K8sApiDoubleOptions, type LoggedRequest } from '../support/k8s-api-double';

/** Image built by scripts/rocklet-bundle.sh --image (the init container copying the bundle). */
export const ROCKLET_RUNTIME_IMAGE = 'rock-rocklet-runtime:latest';

export interface K8sHarness {
  double: K8sApiDouble;
  runtime: KubernetesRuntime;
  namespace: string;
  lost: Array<{ sandboxId: string; reason: string }>;
  close(): Promise<void>;
}

/** A fresh double, namespace and instance; `close` stops the driver and removes every container. */
export async function startHarness(
  name: string,
  doubleOptions: Partial<K8sApiDoubleOptions> = {},
  runtimeOptions: Partial<KubernetesRuntimeOptions> = {},
): Promise<K8sHarness> {
  const double = await K8sApiDouble.start({ docker: dockerForTests(), ...doubleOptions });
  const dir = mkdtempSync(join(tmpdir(), 'rock-k8s-'));
  const namespace = uniqueTestLabel(name).slice(0, 63);
  const lost: K8sHarness['lost'] = [];
  const runtime = new KubernetesRuntime({
    namespace,
    instance: namespace,
    rockletImage: ROCKLET_RUNTIME_IMAGE,
    auth: { mode: 'kubeconfig', path: double.writeKubeconfig(join(dir, 'kubeconfig')) },
    onLost: (sandboxId, reason) => lost.push({ sandboxId, reason }),
    ...runtimeOptions,
  });
  return {
    double,
    runtime,
    namespace,
    lost,
    close: async () => {
      await runtime.close();
      await double.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One harness per test file: started (informer listing and watching) in `beforeAll` and handed to
 * `use`; closed in `afterAll`, which also checks that the double left no container behind.
 */
export function useHarness(name: string, doubleOptions: Partial<K8sApiDoubleOptions>, use: (h: K8sHarness) => void): void {
  let harness: K8sHarness | undefined;
  beforeAll(async () => {
    harness = await startHarness(name, doubleOptions);
    use(harness);
    await harness.runtime.start();
  });
  afterAll(async () => {
    if (!harness) return;
    const double = harness.double;
    await harness.close();
    expect(await doubleContainers(double)).toEqual([]);
  });
}

/** The RuntimeError `promise` rejects with (fails the test if it resolves or rejects otherwise). */
export async function rejection(promise: Promise<unknown>): Promise<RuntimeError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(RuntimeError);
  return err as RuntimeError;
}

/** Resolves once `predicate` holds, checking every 20 ms, failing after `timeoutMs`. */
export async function eventually(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const isWatch = (r: LoggedRequest): boolean => r.method === 'GET' && r.query.watch === 'true';
export const isList = (r: LoggedRequest): boolean => r.method === 'GET' && r.query.watch !== 'true' && r.path.endsWith('/pods');

/** Containers the double created that still exist. */
export async function doubleContainers(double: K8sApiDouble): Promise<string[]> {
  const found = await dockerForTests().listContainers({ all: true, filters: { label: [`rock.k8s-double=${double.id}`] } });
  return found.map((c) => c.Id);
}
