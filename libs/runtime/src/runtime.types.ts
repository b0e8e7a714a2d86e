/**
 * The runtime-neutral driver contract. The write service's lifecycle workers talk to a sandbox
 * runtime (Docker, local processes, Kubernetes) only through these types.
 */

/** Which driver implements a {@link SandboxRuntime}. */
export type RuntimeName = 'docker' | 'local' | 'kubernetes';

/** Image pull policy (API.md §2 `pull`). */
export type PullPolicy = 'never' | 'missing' | 'always';

/** Start-up phases a driver reports (ARCHITECTURE.md §2; `queued` belongs to the write service). */
export type RuntimePhase = 'image_pull' | 'container_create' | 'container_start' | 'rocklet_ready';

/** Status of a phase as the driver reports it; `waiting` is the write service's initial state. */
export type RuntimePhaseStatus = 'running' | 'success' | 'failed' | 'timeout';

/** One phase transition, delivered through {@link CreateOptions.onPhase}. */
export interface PhaseUpdate {
  phase: RuntimePhase;
  status: RuntimePhaseStatus;
  /** One human-readable sentence; `""` when there is nothing to add. */
  message: string;
  /** When the transition happened. */
  at: Date;
}

/** Credentials for pulling from a private registry (API.md §2 `registry_username/password`). */
export interface RegistryAuth {
  username: string;
  password: string;
  /** Registry host; defaults to the host part of the image reference. */
  serverAddress?: string;
}

/** Everything a driver needs to start one sandbox. Values are already validated and normalised. */
export interface SandboxSpec {
  /** `[a-z0-9][a-z0-9-]{0,62}`; becomes the resource name suffix and the `rock.sandbox-id` label. */
  sandboxId: string;
  /** OCI image reference. The local driver records it without using it. */
  image: string;
  /** Memory limit in bytes; swap is disabled (swap limit = memory). */
  memoryBytes: number;
  /** CPU request (and limit when {@link limitCpus} is absent). */
  cpus: number;
  /** Hard CPU cap when {@link cpus} is only a request. */
  limitCpus?: number | null;
  /** Max processes in the sandbox; the driver default applies when absent. */
  pidsLimit?: number;
  /** Rootfs quota in bytes where the runtime supports it; otherwise only recorded. */
  diskBytes?: number | null;
  /** GPUs to attach (docker: device requests; > 0 fails where no GPU runtime exists). */
  numGpus?: number | null;
  /** Environment injected into rocklet and therefore every command it runs. */
  env: Record<string, string>;
  pull: PullPolicy;
  /** Budget for the whole create (pull + create + start + rocklet ready), in milliseconds. */
  startupTimeoutMs: number;
  /** Bearer token rocklet requires (`ROCKLET_TOKEN`). */
  rockletToken: string;
  registryAuth?: RegistryAuth | null;
  /** Extra labels on the runtime resource (e.g. metadata); cannot override `rock.*` labels. */
  labels?: Record<string, string>;
}

/** Where a started sandbox's rocklet answers. */
export interface RuntimeHandle {
  sandboxId: string;
  /** Driver-specific resource id (container id, `local:<pid>`, pod uid). */
  resourceId: string;
  /** Address (IP or host name) the control plane uses to reach rocklet. */
  address: string;
  /** Port rocklet listens on at {@link address}. */
  rockletPort: number;
  /** `http://<address>:<rockletPort>`, for convenience. */
  rockletUrl: string;
  /** In-sandbox port → reachable port, as strings (API.md §3 `port_mapping`), e.g. `{"22555":"22555"}`. */
  portMapping: Record<string, string>;
  /** Name of the host that runs the sandbox (API.md `host_name`). */
  hostName: string;
  /** IP through which the sandbox is reached (API.md `host_ip`); equals {@link address}. */
  hostIp: string;
  /** When rocklet first answered `/is_alive`. */
  readyAt: Date;
  /**
   * Set when rocklet requires a token other than `spec.rockletToken` (the local driver's warm
   * pool hands out rocklets started before the spec existed); the caller must store and use it.
   */
  rockletToken?: string;
}

/** Coarse state of a runtime resource. */
export type RuntimeStatus = 'created' | 'running' | 'restarting' | 'paused' | 'exited' | 'dead' | 'unknown';

/** What {@link SandboxRuntime.inspect} knows about one sandbox's resource. */
export interface RuntimeState {
  sandboxId: string;
  resourceId: string;
  status: RuntimeStatus;
  /** True while the sandbox's main process runs. */
  running: boolean;
  /** Exit code once the main process ended, else null. */
  exitCode: number | null;
  image: string;
  createdAt: Date;
  /** Rocklet address while running, else null. */
  address: string | null;
}

/** One managed resource, as {@link SandboxRuntime.list} reports it to the reconciler. */
export interface RuntimeResource {
  sandboxId: string;
  resourceId: string;
  running: boolean;
  image: string;
  createdAt: Date;
  labels: Record<string, string>;
}

/** Callbacks and cancellation for {@link SandboxRuntime.create}. */
export interface CreateOptions {
  /** Called synchronously at each phase transition; exceptions it throws are ignored. */
  onPhase?: (update: PhaseUpdate) => void;
  /** Aborting stops the create and removes what was created; the promise rejects with `ABORTED`. */
  signal?: AbortSignal;
}

/** Optional operations a driver supports. */
export interface RuntimeCapabilities {
  restart: boolean;
  commit: boolean;
  warmup: boolean;
}

/** Result of {@link SandboxRuntime.commit}. */
export interface CommitResult {
  imageId: string;
  imageTag: string;
}

/**
 * A sandbox runtime driver. Every resource it creates carries the labels `rock.managed=true` and
 * `rock.sandbox-id=<id>` plus the driver's instance label, and only resources with that instance
 * label are listed, inspected or destroyed.
 */
export interface SandboxRuntime {
  readonly name: RuntimeName;
  readonly capabilities: RuntimeCapabilities;
  /**
   * Starts a sandbox and resolves once rocklet answers `/is_alive`, within `spec.startupTimeoutMs`.
   * Rejects with a {@link RuntimeError} naming the failed phase; anything it created is removed.
   */
  create(spec: SandboxSpec, options?: CreateOptions): Promise<RuntimeHandle>;
  /** Removes the sandbox's resource; resolves also when it is already gone. */
  destroy(sandboxId: string): Promise<void>;
  /** Current state, or null when no managed resource exists for the id. */
  inspect(sandboxId: string): Promise<RuntimeState | null>;
  /** Every managed resource of this instance (running or not), for the reconciler. */
  list(): Promise<RuntimeResource[]>;
  /** Restarts the sandbox in place and waits for rocklet again. */
  restart?(sandboxId: string, options?: { startupTimeoutMs?: number; signal?: AbortSignal }): Promise<RuntimeHandle>;
  /** Snapshots the sandbox's filesystem into an image tagged `imageTag`. */
  commit?(sandboxId: string, imageTag: string): Promise<CommitResult>;
  /** Makes an image available ahead of creates (pull). */
  warmup?(image: string, options?: { registryAuth?: RegistryAuth | null; timeoutMs?: number }): Promise<void>;
  /** Starts the driver's background work (e.g. the local warm pool); the write service calls it once at boot. */
  start?(): Promise<void>;
  /** Releases driver-held resources (agents, timers, idle warm-pool processes); does not touch sandboxes. */
  close(): Promise<void>;
}

/** Minimal structured logger (pino-compatible call shape: context object first, then message). */
export interface RuntimeLogger {
  info(context: Record<string, unknown>, message: string): void;
  warn(context: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything. */
export const silentLogger: RuntimeLogger = { info: () => undefined, warn: () => undefined };
