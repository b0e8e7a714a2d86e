import { access } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import Dockerode from 'dockerode';
import { DEFAULT_INSTANCE_LABEL, isOwnedBy, MANAGED_LABEL, SANDBOX_ID_LABEL, type InstanceSelector } from '../labels';
import { PhaseReporter } from '../phase-reporter';
import { systemClock, throwIfAborted, type Clock } from '../poll';
import { abortReason, deadlineSignal } from '../signals';
import { assertValidSpec } from '../spec-validation';
import { RuntimeError } from '../runtime.errors';
import type {
  CommitResult,
  CreateOptions,
  RegistryAuth,
  RuntimeHandle,
  RuntimeLogger,
  RuntimeResource,
  RuntimeState,
  SandboxRuntime,
  SandboxSpec,
} from '../runtime.types';
import { silentLogger } from '../runtime.types';
import { containerCreateOptions, type ContainerLayout } from './docker-container-config';
import { dockerStatus, fromDockerError } from './docker-errors';
import { ensureImage } from './docker-images';
import { provisionBaseImage, ROCK_BASE_IMAGE } from './docker-base-image';
import { awaitRocklet, containerEndpoint, exitedError, inspectContainer } from './docker-readiness';
import { commitContainer } from './docker-commit';

/** Configuration of {@link DockerRuntime}. */
export interface DockerRuntimeOptions {
  /** Absolute host path of the rocklet bundle (`dist/rocklet-runtime`), bind-mounted read-only at `/rock`. */
  bundleDir: string;
  /** Value of the instance label; only containers carrying it are listed, inspected or removed. */
  instance: string;
  /** Name of the instance label (default `rock.instance`). */
  instanceLabel?: string;
  /** A ready client; default: the local daemon at {@link socketPath}. */
  docker?: Dockerode;
  /** Daemon socket (default `/var/run/docker.sock`). */
  socketPath?: string;
  /** Container name prefix (default `rock-`). */
  namePrefix?: string;
  /** Network the containers join (default `bridge`). */
  network?: string;
  /**
   * Publish rocklet's port on this host IP (e.g. `127.0.0.1`) and address the sandbox through it,
   * for control planes that cannot reach container IPs. Default null: use the container's IP.
   */
  publishHostIp?: string | null;
  /** Pids limit when the spec has none (default 4096). */
  defaultPidsLimit?: number;
  /** Apply `diskBytes` as a rootfs quota (needs overlay2 on xfs with pquota; default false). */
  diskQuota?: boolean;
  /** Reported `host_name` (default: this machine's host name). */
  hostName?: string;
  /**
   * Image tag this runtime provisions itself (an imported empty rootfs) when a spec asks for it and
   * it is missing, instead of pulling (default {@link ROCK_BASE_IMAGE}; null disables).
   */
  baseImage?: string | null;
  /** Grace period before SIGKILL on restart, seconds (default 2). */
  stopTimeoutSeconds?: number;
  /** Upper bound of one `/is_alive` probe (default 1000 ms). */
  probeTimeoutMs?: number;
  /** How often readiness polling checks whether the container died (default 250 ms). */
  exitCheckIntervalMs?: number;
  clock?: Clock;
  logger?: RuntimeLogger;
}

const DEFAULT_RESTART_TIMEOUT_MS = 60_000;

/**
 * One container per sandbox on a Docker engine. Rocklet runs from the bind-mounted bundle through
 * its own loader, so any Linux image works; the container runs under docker-init with memory
 * (swap disabled), CPU and pids limits.
 */
export class DockerRuntime implements SandboxRuntime {
  readonly name = 'docker' as const;
  readonly capabilities = { restart: true, commit: true, warmup: true };
  private readonly docker: Dockerode;
  private readonly instance: InstanceSelector;
  private readonly clock: Clock;
  private readonly logger: RuntimeLogger;
  private layoutPromise: Promise<ContainerLayout> | null = null;
  private readonly baseImageImports = new Map<string, Promise<boolean>>();

  constructor(private readonly options: DockerRuntimeOptions) {
    if (!isAbsolute(options.bundleDir)) {
      throw new RuntimeError('INVALID_SPEC', `bundleDir: must be an absolute path, got "${options.bundleDir}"`);
    }
    if (!options.instance) throw new RuntimeError('INVALID_SPEC', 'instance: must be a non-empty string');
    this.docker = options.docker ?? new Dockerode({ socketPath: options.socketPath ?? '/var/run/docker.sock' });
    this.instance = { label: options.instanceLabel ?? DEFAULT_INSTANCE_LABEL, value: options.instance };
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  async create(spec: SandboxSpec, options: CreateOptions = {}): Promise<RuntimeHandle> {
    assertValidSpec(spec);
    const reporter = new PhaseReporter(options.onPhase);
    const deadline = this.clock.now() + spec.startupTimeoutMs;
    const signal = deadlineSignal(spec.startupTimeoutMs, options.signal);
    let containerId: string | null = null;
    try {
      const layout = await this.layout();
      await reporter.run('image_pull', async () => ({
        value: null,
        message: await this.ensureSpecImage(spec, signal),
      }));
      throwIfAborted(options.signal);
      containerId = await reporter.run('container_create', async () => ({ value: await this.createContainer(spec, layout) }));
      const container = this.docker.getContainer(containerId);
      await reporter.run('container_start', async () => ({ value: await this.startContainer(container) }));
      return await reporter.run('rocklet_ready', () => this.awaitReady(spec.sandboxId, container, deadline, signal));
    } catch (err) {
      if (containerId) await this.removeQuietly(containerId);
      throw abortReason(options.signal, err);
    }
  }

  async destroy(sandboxId: string): Promise<void> {
    for (const resource of await this.list({ sandboxId })) {
      try {
        await this.docker.getContainer(resource.resourceId).remove({ force: true, v: true });
      } catch (err) {
        // 404: already gone; 409: removal already in progress. Both mean "it is going away".
        const status = dockerStatus(err);
        if (status !== 404 && status !== 409) throw fromDockerError(err, `remove container ${resource.resourceId}`);
      }
    }
  }

  async inspect(sandboxId: string): Promise<RuntimeState | null> {
    const info = await this.findContainer(sandboxId);
    if (!info) return null;
    const endpoint = info.State.Running ? containerEndpoint(info, this.network, this.publishHostIp) : null;
    return {
      sandboxId,
      resourceId: info.Id,
      status: toStatus(info.State.Status),
      running: info.State.Running,
      exitCode: info.State.Running || info.State.Status === 'created' ? null : info.State.ExitCode,
      image: info.Config.Image,
      createdAt: new Date(info.Created),
      address: endpoint?.address ?? null,
    };
  }

  async list(filter: { sandboxId?: string } = {}): Promise<RuntimeResource[]> {
    const label = [`${MANAGED_LABEL}=true`, `${this.instance.label}=${this.instance.value}`];
    if (filter.sandboxId) label.push(`${SANDBOX_ID_LABEL}=${filter.sandboxId}`);
    let containers: Dockerode.ContainerInfo[];
    try {
      containers = await this.docker.listContainers({ all: true, filters: { label } });
    } catch (err) {
      throw fromDockerError(err, 'list containers');
    }
    return containers
      .filter((c) => isOwnedBy(c.Labels, this.instance))
      .map((c) => ({
        sandboxId: c.Labels[SANDBOX_ID_LABEL],
        resourceId: c.Id,
        running: c.State === 'running',
        image: c.Image,
        createdAt: new Date(c.Created * 1000),
        labels: c.Labels,
      }));
  }

  async restart(sandboxId: string, options: { startupTimeoutMs?: number; signal?: AbortSignal } = {}): Promise<RuntimeHandle> {
    const info = await this.requireContainer(sandboxId);
    const timeoutMs = options.startupTimeoutMs ?? DEFAULT_RESTART_TIMEOUT_MS;
    const container = this.docker.getContainer(info.Id);
    try {
      await container.restart({ t: this.options.stopTimeoutSeconds ?? 2 });
    } catch (err) {
      throw fromDockerError(err, `restart container ${info.Id}`, 'container_start');
    }
    const signal = deadlineSignal(timeoutMs, options.signal);
    const ready = await this.awaitReady(sandboxId, container, this.clock.now() + timeoutMs, signal).catch((err: unknown) => {
      throw abortReason(options.signal, err);
    });
    return ready.value;
  }

  async commit(sandboxId: string, imageTag: string): Promise<CommitResult> {
    const info = await this.requireContainer(sandboxId);
    return commitContainer(this.docker, info, imageTag);
  }

  async warmup(image: string, options: { registryAuth?: RegistryAuth | null; timeoutMs?: number } = {}): Promise<void> {
    if (this.isBaseImage(image)) {
      await this.ensureBaseImage(image);
      return;
    }
    const signal = deadlineSignal(options.timeoutMs ?? 600_000);
    await ensureImage(this.docker, image, 'missing', options.registryAuth, signal);
  }

  /**
   * Makes the self-provisioned base image `tag` exist: when missing, imports an empty rootfs (`tmp/`
   * 1777, `etc/`, `root/`) labelled `rock.managed-image=true`. Idempotent; concurrent calls in this
   * process share one import, and an import elsewhere merely produces the same tag. Resolves true
   * when this call (or the import it joined) created the image.
   */
  ensureBaseImage(tag: string = ROCK_BASE_IMAGE): Promise<boolean> {
    let running = this.baseImageImports.get(tag);
    if (!running) {
      running = provisionBaseImage(this.docker, tag).finally(() => this.baseImageImports.delete(tag));
      this.baseImageImports.set(tag, running);
    }
    return running;
  }

  async close(): Promise<void> {
    // dockerode keeps no pooled connections or timers that outlive a request.
  }

  /**
   * The image_pull phase: the base image is provisioned locally whatever the pull policy (no
   * registry has it), any other image follows the policy.
   */
  private async ensureSpecImage(spec: SandboxSpec, signal: AbortSignal): Promise<string> {
    if (this.isBaseImage(spec.image)) {
      const imported = await this.ensureBaseImage(spec.image);
      return imported ? `image ${spec.image} imported (ROCK base rootfs)` : `image ${spec.image} present locally`;
    }
    return ensureImage(this.docker, spec.image, spec.pull, spec.registryAuth, signal);
  }

  private isBaseImage(image: string): boolean {
    const baseImage = this.options.baseImage === undefined ? ROCK_BASE_IMAGE : this.options.baseImage;
    return baseImage !== null && image === baseImage;
  }

  private get network(): string {
    return this.options.network ?? 'bridge';
  }

  private get publishHostIp(): string | null {
    return this.options.publishHostIp ?? null;
  }

  /** Resolved once: checks the bundle and reads the host's CPU count. */
  private layout(): Promise<ContainerLayout> {
    this.layoutPromise ??= this.resolveLayout().catch((err: unknown) => {
      this.layoutPromise = null;
      throw err;
    });
    return this.layoutPromise;
  }

  private async resolveLayout(): Promise<ContainerLayout> {
    const { bundleDir } = this.options;
    for (const file of ['rocklet.js', 'bin/node', 'lib/ld-linux-x86-64.so.2']) {
      await access(join(bundleDir, file)).catch(() => {
        throw new RuntimeError('INVALID_SPEC', `The rocklet bundle at ${bundleDir} lacks ${file}; build it with "make rocklet-bundle".`, {
          phase: 'container_create',
        });
      });
    }
    let hostCpus: number;
    try {
      hostCpus = (await this.docker.info()).NCPU as number;
    } catch (err) {
      throw fromDockerError(err, 'read docker info', 'container_create');
    }
    return {
      instance: this.instance,
      bundleDir,
      namePrefix: this.options.namePrefix ?? 'rock-',
      network: this.network,
      publishHostIp: this.publishHostIp,
      defaultPidsLimit: this.options.defaultPidsLimit ?? 4096,
      hostCpus,
      diskQuota: this.options.diskQuota ?? false,
    };
  }

  private async createContainer(spec: SandboxSpec, layout: ContainerLayout): Promise<string> {
    const body = containerCreateOptions(spec, layout);
    try {
      return await this.postContainer(body);
    } catch (err) {
      const status = dockerStatus(err);
      if (status === 404) {
        throw new RuntimeError('IMAGE_NOT_FOUND', `Image ${spec.image} disappeared before its container was created.`, {
          phase: 'container_create',
          transient: true,
          cause: err,
        });
      }
      if (status !== 409) throw fromDockerError(err, `create container ${body.name}`, 'container_create');
    }
    // A leftover container of this sandbox (a retried create job): replace it.
    await this.replaceLeftover(body.name ?? '', spec.sandboxId);
    try {
      return await this.postContainer(body);
    } catch (err) {
      throw fromDockerError(err, `create container ${body.name}`, 'container_create');
    }
  }

  /** Sends the config as the request body only (dockerode would also copy it into the URL, env included). */
  private async postContainer(body: Dockerode.ContainerCreateOptions): Promise<string> {
    const request = { _query: { name: body.name }, _body: body } as unknown as Dockerode.ContainerCreateOptions;
    return (await this.docker.createContainer(request)).id;
  }

  private async replaceLeftover(name: string, sandboxId: string): Promise<void> {
    const info = await inspectContainer(this.docker.getContainer(name)).catch(() => null);
    if (info && (!isOwnedBy(info.Config.Labels, this.instance) || info.Config.Labels[SANDBOX_ID_LABEL] !== sandboxId)) {
      throw new RuntimeError('CONFLICT', `Container name ${name} is taken by a container this ROCK instance does not manage.`, {
        phase: 'container_create',
      });
    }
    this.logger.warn({ sandboxId, container: name }, 'replacing a leftover container of the same sandbox');
    await this.removeQuietly(name);
  }

  private async startContainer(container: Dockerode.Container): Promise<null> {
    try {
      await container.start();
      return null;
    } catch (err) {
      throw fromDockerError(err, `start container ${container.id}`, 'container_start');
    }
  }

  private async awaitReady(
    sandboxId: string,
    container: Dockerode.Container,
    deadline: number,
    signal: AbortSignal,
  ): Promise<{ value: RuntimeHandle; message: string }> {
    const started = this.clock.now();
    const info = await inspectContainer(container);
    if (!info.State.Running) throw await exitedError(container, info);
    const endpoint = containerEndpoint(info, this.network, this.publishHostIp);
    if (!endpoint) {
      throw new RuntimeError('RUNTIME_ERROR', `Container ${info.Id} has no address on network ${this.network}.`, {
        phase: 'rocklet_ready',
      });
    }
    await awaitRocklet(container, endpoint, {
      deadline,
      signal,
      clock: this.clock,
      probeTimeoutMs: this.options.probeTimeoutMs ?? 1000,
      exitCheckIntervalMs: this.options.exitCheckIntervalMs ?? 250,
    });
    const handle: RuntimeHandle = {
      sandboxId,
      resourceId: info.Id,
      address: endpoint.address,
      rockletPort: endpoint.port,
      rockletUrl: `http://${endpoint.address}:${endpoint.port}`,
      portMapping: endpoint.portMapping,
      hostName: this.options.hostName ?? hostname(),
      hostIp: endpoint.address,
      readyAt: new Date(),
    };
    return { value: handle, message: `rocklet answered after ${this.clock.now() - started} ms` };
  }

  private async findContainer(sandboxId: string): Promise<Dockerode.ContainerInspectInfo | null> {
    const [resource] = await this.list({ sandboxId });
    if (!resource) return null;
    try {
      return await this.docker.getContainer(resource.resourceId).inspect();
    } catch (err) {
      if (dockerStatus(err) === 404) return null;
      throw fromDockerError(err, `inspect container ${resource.resourceId}`);
    }
  }

  private async requireContainer(sandboxId: string): Promise<Dockerode.ContainerInspectInfo> {
    const info = await this.findContainer(sandboxId);
    if (!info) throw new RuntimeError('NOT_FOUND', `Sandbox ${sandboxId} has no container.`);
    return info;
  }

  private async removeQuietly(idOrName: string): Promise<void> {
    try {
      await this.docker.getContainer(idOrName).remove({ force: true, v: true });
    } catch (err) {
      if (dockerStatus(err) !== 404) this.logger.warn({ container: idOrName, err: String(err) }, 'container cleanup failed');
    }
  }
}

function toStatus(status: string): RuntimeState['status'] {
  const known = ['created', 'running', 'restarting', 'paused', 'exited', 'dead'] as const;
  return (known as readonly string[]).includes(status) ? (status as RuntimeState['status']) : 'unknown';
}

