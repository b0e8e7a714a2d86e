import type { ContainerCreateOptions } from 'dockerode';
import { ROCKLET_PORT, sandboxLabels, type InstanceSelector } from '../labels';
import type { SandboxSpec } from '../runtime.types';

/** Where rocklet's bundle is mounted inside every container. */
export const BUNDLE_MOUNT = '/rock';

/**
 * Exec-form rocklet command: the bundle's own dynamic loader runs the bundled Node, so the image
 * needs neither a shell nor a compatible libc.
 */
export function rockletCommand(port = ROCKLET_PORT): string[] {
  return [
    `${BUNDLE_MOUNT}/lib/ld-linux-x86-64.so.2`,
    '--library-path',
    `${BUNDLE_MOUNT}/lib`,
    `${BUNDLE_MOUNT}/bin/node`,
    `${BUNDLE_MOUNT}/rocklet.js`,
    '--port',
    String(port),
  ];
}

/** Driver settings that shape every container (see `DockerRuntimeOptions`). */
export interface ContainerLayout {
  instance: InstanceSelector;
  /** Absolute host path of the rocklet bundle directory. */
  bundleDir: string;
  namePrefix: string;
  /** Docker network the container joins (`bridge` by default). */
  network: string;
  /** Publish rocklet's port on this host IP (random host port); null = reach it by container IP. */
  publishHostIp: string | null;
  defaultPidsLimit: number;
  /** CPUs of the Docker host: a CPU limit above it means "no limit" and is capped to it. */
  hostCpus: number;
  /** Apply `diskBytes` as a rootfs quota (overlay2 on xfs with pquota only). */
  diskQuota: boolean;
}

/** Container name for a sandbox. */
export function containerName(layout: Pick<ContainerLayout, 'namePrefix'>, sandboxId: string): string {
  return `${layout.namePrefix}${sandboxId}`;
}

/** `ROCKLET_TOKEN` plus the sandbox env; the env cannot override the token. */
export function containerEnv(spec: SandboxSpec): string[] {
  const env = Object.entries(spec.env)
    .filter(([key]) => key !== 'ROCKLET_TOKEN')
    .map(([key, value]) => `${key}=${value}`);
  return [...env, `ROCKLET_TOKEN=${spec.rockletToken}`];
}

/** NanoCpus from the CPU limit (`limitCpus` when set, else `cpus`), capped at the host's CPUs. */
export function nanoCpus(spec: SandboxSpec, hostCpus: number): number {
  const limit = Math.min(spec.limitCpus ?? spec.cpus, hostCpus);
  return Math.round(limit * 1e9);
}

function hostConfig(spec: SandboxSpec, layout: ContainerLayout): NonNullable<ContainerCreateOptions['HostConfig']> {
  const port = `${ROCKLET_PORT}/tcp`;
  return {
    Memory: spec.memoryBytes,
    MemorySwap: spec.memoryBytes,
    NanoCpus: nanoCpus(spec, layout.hostCpus),
    // With a separate hard limit, `cpus` is the request: express it as relative weight.
    ...(spec.limitCpus ? { CpuShares: Math.max(2, Math.round(spec.cpus * 1024)) } : {}),
    PidsLimit: spec.pidsLimit ?? layout.defaultPidsLimit,
    Init: true,
    Binds: [`${layout.bundleDir}:${BUNDLE_MOUNT}:ro`],
    NetworkMode: layout.network,
    RestartPolicy: { Name: 'no' },
    LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '1' } },
    ...(layout.publishHostIp ? { PortBindings: { [port]: [{ HostIp: layout.publishHostIp, HostPort: '' }] } } : {}),
    ...(spec.numGpus ? { DeviceRequests: [{ Driver: '', Count: spec.numGpus, Capabilities: [['gpu']] }] } : {}),
    ...(layout.diskQuota && spec.diskBytes ? { StorageOpt: { size: String(spec.diskBytes) } } : {}),
  };
}

/** The full `POST /containers/create` body for a sandbox. Pure: no I/O. */
export function containerCreateOptions(spec: SandboxSpec, layout: ContainerLayout): ContainerCreateOptions {
  const labels = sandboxLabels(spec.sandboxId, layout.instance, spec.labels);
  if (spec.diskBytes) labels['rock.disk-bytes'] = String(spec.diskBytes);
  return {
    name: containerName(layout, spec.sandboxId),
    Image: spec.image,
    Hostname: spec.sandboxId,
    Entrypoint: rockletCommand(),
    Cmd: [],
    Env: containerEnv(spec),
    Labels: labels,
    ExposedPorts: { [`${ROCKLET_PORT}/tcp`]: {} },
    HostConfig: hostConfig(spec, layout),
  };
}
