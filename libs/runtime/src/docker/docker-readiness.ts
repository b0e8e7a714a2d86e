import type Dockerode from 'dockerode';
import { ROCKLET_PORT } from '../labels';
import { pollUntil, READINESS_BACKOFF, type Clock } from '../poll';
import { probeRocklet } from '../rocklet-probe';
import { RuntimeError } from '../runtime.errors';
import { fromDockerError } from './docker-errors';

/** Where a running container's rocklet answers. */
export interface ContainerEndpoint {
  address: string;
  port: number;
  portMapping: Record<string, string>;
}

/**
 * Splits Docker's multiplexed log stream (8-byte frame headers, used when the container has no
 * TTY) into text. Input without frame headers is returned as is.
 */
export function demuxDockerLogs(raw: Buffer): string {
  const parts: string[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length && raw[offset] <= 2 && raw.readUIntBE(offset + 1, 3) === 0) {
    const size = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + size).toString('utf8'));
    offset += 8 + size;
  }
  return offset === 0 ? raw.toString('utf8') : parts.join('');
}

/** The last lines a container wrote (stdout and stderr), trimmed; "" when unavailable. */
export async function logTail(container: Dockerode.Container, lines = 20): Promise<string> {
  try {
    const raw = (await container.logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
    return demuxDockerLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw))).trim();
  } catch {
    return '';
  }
}

/** `SANDBOX_EXITED` with the exit code and the container's last output. */
export async function exitedError(container: Dockerode.Container, info: Dockerode.ContainerInspectInfo): Promise<RuntimeError> {
  const tail = await logTail(container);
  const output = tail ? ` Last output: ${tail.slice(-2000)}` : '';
  const reason = info.State.Error ? ` (${info.State.Error})` : '';
  return new RuntimeError(
    'SANDBOX_EXITED',
    `Sandbox container exited with code ${info.State.ExitCode}${reason} before rocklet became ready.${output}`,
    { phase: 'rocklet_ready' },
  );
}

/** Rocklet's endpoint from an inspected container: bridge IP, or the published host port. */
export function containerEndpoint(
  info: Dockerode.ContainerInspectInfo,
  network: string,
  publishHostIp: string | null,
): ContainerEndpoint | null {
  const key = `${ROCKLET_PORT}/tcp`;
  if (publishHostIp) {
    const binding = info.NetworkSettings.Ports?.[key]?.[0];
    if (!binding?.HostPort) return null;
    return { address: publishHostIp, port: Number(binding.HostPort), portMapping: { [ROCKLET_PORT]: binding.HostPort } };
  }
  const legacy = info.NetworkSettings as { IPAddress?: string };
  const ip = info.NetworkSettings.Networks?.[network]?.IPAddress || legacy.IPAddress;
  if (!ip) return null;
  return { address: ip, port: ROCKLET_PORT, portMapping: { [ROCKLET_PORT]: String(ROCKLET_PORT) } };
}

/** Timing knobs of {@link awaitRocklet}. */
export interface ReadinessOptions {
  deadline: number;
  signal?: AbortSignal;
  clock: Clock;
  /** Upper bound of one HTTP probe. */
  probeTimeoutMs: number;
  /** How often to check whether the container died while probing. */
  exitCheckIntervalMs: number;
}

/**
 * Polls `/is_alive` on a growing interval until rocklet answers, the container exits
 * (`SANDBOX_EXITED`, with its output) or the deadline passes (`STARTUP_TIMEOUT`, transient).
 */
export async function awaitRocklet(
  container: Dockerode.Container,
  endpoint: ContainerEndpoint,
  options: ReadinessOptions,
): Promise<void> {
  const { clock } = options;
  let nextExitCheck = clock.now() + options.exitCheckIntervalMs;
  await pollUntil(
    async () => {
      const budget = Math.max(1, Math.min(options.probeTimeoutMs, options.deadline - clock.now()));
      if (await probeRocklet(endpoint.address, endpoint.port, budget)) return true;
      if (clock.now() < nextExitCheck) return undefined;
      nextExitCheck = clock.now() + options.exitCheckIntervalMs;
      const info = await inspectContainer(container);
      if (!info.State.Running) throw await exitedError(container, info);
      return undefined;
    },
    {
      schedule: READINESS_BACKOFF,
      deadline: options.deadline,
      clock,
      signal: options.signal,
      onTimeout: () =>
        new RuntimeError(
          'STARTUP_TIMEOUT',
          `Rocklet did not answer /is_alive at ${endpoint.address}:${endpoint.port} before the startup deadline.`,
          { phase: 'rocklet_ready', transient: true },
        ),
    },
  );
}

/** Inspects a container, mapping daemon failures to {@link RuntimeError}. */
export async function inspectContainer(container: Dockerode.Container): Promise<Dockerode.ContainerInspectInfo> {
  try {
    return await container.inspect();
  } catch (err) {
    throw fromDockerError(err, `inspect container ${container.id}`);
  }
}
