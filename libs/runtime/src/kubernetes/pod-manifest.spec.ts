import type { SandboxSpec } from '../runtime.types';
import { cpuQuantity, pullSecret, registryHost, sandboxPod } from './pod-manifest';

const spec: SandboxSpec = {
  sandboxId: 'abc-1',
  image: 'registry.example.com:5000/team/img:1',
  memoryBytes: 512 * 1024 * 1024,
  cpus: 0.25,
  limitCpus: 2,
  env: { A: '1' },
  pull: 'never',
  startupTimeoutMs: 1000,
  rockletToken: 'tok',
  labels: { team: 'rl', 'rock.managed': 'false' },
};
const settings = {
  namespace: 'sbx',
  podName: 'rock-abc-1',
  instance: { label: 'rock.instance', value: 'prod' },
  rockletImage: 'rock/rocklet-runtime:7',
  activeDeadlineSeconds: 600,
  imagePullSecrets: ['shared-pull'],
};

describe('sandboxPod', () => {
  it('builds a locked-down pod: bundle init container, exec-form rocklet, limits, probe, labels that cannot be overridden', () => {
    const pod = sandboxPod(spec, { ...settings, nodeSelector: { pool: 'sandbox' }, tolerations: [{ key: 'sandbox', operator: 'Exists' }], runtimeClassName: 'gvisor' });
    expect(pod.metadata?.labels).toEqual({ team: 'rl', 'rock.managed': 'true', 'rock.sandbox-id': 'abc-1', 'rock.instance': 'prod' });
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      activeDeadlineSeconds: 600,
      nodeSelector: { pool: 'sandbox' },
      tolerations: [{ key: 'sandbox', operator: 'Exists' }],
      runtimeClassName: 'gvisor',
      imagePullSecrets: [{ name: 'shared-pull' }],
      volumes: [{ name: 'rock', emptyDir: {} }],
    });
    expect(pod.spec?.initContainers).toEqual([expect.objectContaining({ image: 'rock/rocklet-runtime:7', args: ['/rock'] })]);
    const main = pod.spec?.containers[0];
    expect(main).toMatchObject({
      image: spec.image,
      imagePullPolicy: 'Never',
      command: ['/rock/lib/ld-linux-x86-64.so.2', '--library-path', '/rock/lib', '/rock/bin/node', '/rock/rocklet.js', '--port', '22555'],
      env: [{ name: 'A', value: '1' }, { name: 'ROCKLET_TOKEN', value: 'tok' }],
      resources: { requests: { cpu: '250m', memory: '536870912' }, limits: { cpu: '2000m', memory: '536870912' } },
      volumeMounts: [{ name: 'rock', mountPath: '/rock', readOnly: true }],
    });
  });

  it('leaves out empty scheduling settings and maps pull policies', () => {
    const pod = sandboxPod({ ...spec, pull: 'always', limitCpus: null }, { ...settings, imagePullSecrets: [] });
    expect(pod.spec).not.toHaveProperty('nodeSelector');
    expect(pod.spec).not.toHaveProperty('imagePullSecrets');
    expect(pod.spec).not.toHaveProperty('runtimeClassName');
    expect(pod.spec?.containers[0]?.imagePullPolicy).toBe('Always');
    expect(pod.spec?.containers[0]?.resources?.limits?.cpu).toBe('250m');
  });
});

describe('pull secrets', () => {
  it('finds the registry host of an image reference', () => {
    expect(registryHost('busybox')).toBe('docker.io');
    expect(registryHost('team/img:1')).toBe('docker.io');
    expect(registryHost('localhost/img')).toBe('localhost');
    expect(registryHost('registry.example.com:5000/team/img:1')).toBe('registry.example.com:5000');
  });

  it('encodes a dockerconfigjson for the image registry', () => {
    const secret = pullSecret('rock-abc-1-pull', 'sbx', { a: 'b' }, spec.image, { username: 'u', password: 'p' });
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    const config = JSON.parse(Buffer.from(secret.data?.['.dockerconfigjson'] ?? '', 'base64').toString()) as unknown;
    expect(config).toEqual({ auths: { 'registry.example.com:5000': { username: 'u', password: 'p', auth: Buffer.from('u:p').toString('base64') } } });
  });

  it('rounds CPU to millicores, at least 1m', () => {
    expect(cpuQuantity(1.5)).toBe('1500m');
    expect(cpuQuantity(0.0001)).toBe('1m');
  });
});
