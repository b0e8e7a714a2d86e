import type { SandboxSpec } from '../runtime.types';
import { containerCreateOptions, containerEnv, nanoCpus, rockletCommand, type ContainerLayout } from './docker-container-config';

const layout: ContainerLayout = {
  instance: { label: 'rock.instance', value: 'ci' },
  bundleDir: '/opt/rock/bundle',
  namePrefix: 'rock-',
  network: 'bridge',
  publishHostIp: null,
  defaultPidsLimit: 4096,
  hostCpus: 8,
  diskQuota: false,
};

const spec: SandboxSpec = {
  sandboxId: 'abc-1',
  image: 'python:3.11',
  memoryBytes: 512 * 1024 * 1024,
  cpus: 2,
  env: { FOO: 'bar' },
  pull: 'missing',
  startupTimeoutMs: 60_000,
  rockletToken: 'secret',
};

describe('containerCreateOptions', () => {
  it('maps a spec to an exec-form rocklet container with limits, init, the bundle mount and labels', () => {
    const body = containerCreateOptions({ ...spec, labels: { team: 'rl' } }, layout);
    expect(body).toMatchObject({
      name: 'rock-abc-1',
      Image: 'python:3.11',
      Hostname: 'abc-1',
      Entrypoint: ['/rock/lib/ld-linux-x86-64.so.2', '--library-path', '/rock/lib', '/rock/bin/node', '/rock/rocklet.js', '--port', '22555'],
      Cmd: [],
      Env: ['FOO=bar', 'ROCKLET_TOKEN=secret'],
      Labels: { 'rock.managed': 'true', 'rock.sandbox-id': 'abc-1', 'rock.instance': 'ci', team: 'rl' },
      ExposedPorts: { '22555/tcp': {} },
    });
    expect(body.HostConfig).toMatchObject({
      Memory: 512 * 1024 * 1024,
      MemorySwap: 512 * 1024 * 1024,
      NanoCpus: 2e9,
      PidsLimit: 4096,
      Init: true,
      Binds: ['/opt/rock/bundle:/rock:ro'],
      NetworkMode: 'bridge',
      RestartPolicy: { Name: 'no' },
    });
    expect(body.HostConfig?.PortBindings).toBeUndefined();
    expect(body.HostConfig?.CpuShares).toBeUndefined();
    expect(body.HostConfig?.DeviceRequests).toBeUndefined();
  });

  it('treats cpus as a request (CpuShares) when limitCpus is the hard cap', () => {
    const body = containerCreateOptions({ ...spec, cpus: 0.5, limitCpus: 3, pidsLimit: 64 }, layout);
    expect(body.HostConfig).toMatchObject({ NanoCpus: 3e9, CpuShares: 512, PidsLimit: 64 });
  });

  it('publishes 22555 on the configured host IP with a random port when asked', () => {
    const body = containerCreateOptions(spec, { ...layout, publishHostIp: '127.0.0.1' });
    expect(body.HostConfig?.PortBindings).toEqual({ '22555/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
  });

  it('requests GPUs and a disk quota only when asked and supported', () => {
    const body = containerCreateOptions({ ...spec, numGpus: 2, diskBytes: 10_000 }, { ...layout, diskQuota: true });
    expect(body.HostConfig?.DeviceRequests).toEqual([{ Driver: '', Count: 2, Capabilities: [['gpu']] }]);
    expect(body.HostConfig?.StorageOpt).toEqual({ size: '10000' });
    expect(body.Labels?.['rock.disk-bytes']).toBe('10000');
    expect(containerCreateOptions({ ...spec, diskBytes: 10_000 }, layout).HostConfig?.StorageOpt).toBeUndefined();
  });

  it('never lets user labels or env override ROCK-owned ones', () => {
    const body = containerCreateOptions(
      { ...spec, env: { ROCKLET_TOKEN: 'stolen', A: '1' }, labels: { 'rock.managed': 'false', 'rock.instance': 'other' } },
      layout,
    );
    expect(body.Env).toEqual(['A=1', 'ROCKLET_TOKEN=secret']);
    expect(body.Labels).toEqual({ 'rock.managed': 'true', 'rock.sandbox-id': 'abc-1', 'rock.instance': 'ci' });
  });
});

describe('nanoCpus and helpers', () => {
  it('caps the CPU limit at the host CPU count', () => {
    expect(nanoCpus({ ...spec, cpus: 64 }, 8)).toBe(8e9);
    expect(nanoCpus({ ...spec, cpus: 0.25 }, 8)).toBe(250_000_000);
  });

  it('builds the rocklet command for another port and keeps env order', () => {
    expect(rockletCommand(9000).slice(-2)).toEqual(['--port', '9000']);
    expect(containerEnv({ ...spec, env: { B: '2', A: '1' } })).toEqual(['B=2', 'A=1', 'ROCKLET_TOKEN=secret']);
  });
});
