import { DockerRuntime } from './docker/docker.runtime';
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

  it('reports kubernetes as not supported yet and rejects relative paths by option name', () => {
    expect(() => createRuntimeFromSettings({ ...settings, kind: 'kubernetes' })).toThrow(expect.objectContaining({ code: 'NOT_SUPPORTED' }));
    expect(() => createRuntimeFromSettings({ ...settings, rockletBundleDir: 'dist/x' })).toThrow('bundleDir');
    expect(() => createRuntimeFromSettings({ ...settings, kind: 'local', local: { sandboxDir: 'rel' } })).toThrow('rootDir');
  });
});
