import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerRuntime } from './docker/docker.runtime';
import { KubernetesRuntime } from './kubernetes/kubernetes.runtime';
import { LocalRuntime } from './local/local.runtime';
import { createRuntimeFromSettings, type RuntimeSettings } from './runtime.factory';

const settings: RuntimeSettings = {
  kind: 'docker',
  rockletBundleDir: '/opt/rock/rocklet-runtime',
  instance: 'prod',
  docker: { socketPath: '/var/run/docker.sock', network: 'bridge' },
  local: { sandboxDir: '/tmp/rock-local' },
};

describe('createRuntimeFromSettings', () => {
  it('builds the docker and local drivers with their capabilities', () => {
    const docker = createRuntimeFromSettings(settings);
    expect(docker).toBeInstanceOf(DockerRuntime);
    expect(docker.capabilities).toEqual({ restart: true, commit: true, warmup: true });
    const local = createRuntimeFromSettings({ ...settings, kind: 'local' });
    expect(local).toBeInstanceOf(LocalRuntime);
    expect(local.capabilities).toEqual({ restart: false, commit: false, warmup: false });
  });

  it('builds the kubernetes driver from a kubeconfig and names missing settings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rock-factory-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, 'current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: "https://10.0.0.1:6443"}}]\nusers: [{name: u, user: {token: t}}]\n');
    const k8s = { namespace: 'sbx', rockletImage: 'rock/rocklet-runtime:1', kubeconfig, context: null, qps: 5, burst: 10, activeDeadlineSeconds: 3600, nodeSelector: {}, tolerations: [], runtimeClassName: null, imagePullSecrets: [] };
    const runtime = createRuntimeFromSettings({ ...settings, kind: 'kubernetes', kubernetes: k8s });
    expect(runtime).toBeInstanceOf(KubernetesRuntime);
    expect(runtime.capabilities).toEqual({ restart: false, commit: false, warmup: false });
    expect(() => createRuntimeFromSettings({ ...settings, kind: 'kubernetes' })).toThrow('kubernetes: settings are required');
    expect(() => createRuntimeFromSettings({ ...settings, kind: 'kubernetes', kubernetes: { ...k8s, kubeconfig: join(dir, 'missing') } })).toThrow(/kubeconfig .*missing: cannot be read/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects relative paths by option name', () => {
    expect(() => createRuntimeFromSettings({ ...settings, rockletBundleDir: 'dist/x' })).toThrow('bundleDir');
    expect(() => createRuntimeFromSettings({ ...settings, kind: 'local', local: { sandboxDir: 'rel' } })).toThrow('rootDir');
  });
});
