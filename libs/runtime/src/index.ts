/**
 * `@rock/runtime`: sandbox runtime drivers behind one interface ({@link SandboxRuntime}).
 *
 * - {@link DockerRuntime}: a container per sandbox (dockerode), rocklet from a read-only bundle
 *   mount, memory/CPU/pids limits, pull policy, readiness by polling `/is_alive`.
 * - {@link LocalRuntime}: rocklet as a host process per sandbox (bubblewrap namespaces when
 *   available); weak isolation, for development, tests and the embedded default.
 * - {@link KubernetesRuntime}: a Pod per sandbox, bundle copied by an init container, state from a
 *   list+watch informer, client-side rate limit.
 *
 * Failures are {@link RuntimeError}s with a stable `code`, a `transient` flag (retry with backoff)
 * and the start-up `phase` that failed.
 */
export type {
  CommitResult,
  CreateOptions,
  PhaseUpdate,
  PullPolicy,
  RegistryAuth,
  RuntimeCapabilities,
  RuntimeHandle,
  RuntimeLogger,
  RuntimeName,
  RuntimePhase,
  RuntimePhaseStatus,
  RuntimeResource,
  RuntimeState,
  RuntimeStatus,
  SandboxRuntime,
  SandboxSpec,
} from './runtime.types';
export { silentLogger } from './runtime.types';
export { RuntimeError, isRuntimeError, type RuntimeErrorCode, type RuntimeErrorOptions } from './runtime.errors';
export { DEFAULT_INSTANCE_LABEL, MANAGED_LABEL, ROCKLET_PORT, SANDBOX_ID_LABEL } from './labels';
export { backoffDelays, pollUntil, READINESS_BACKOFF, systemClock, type BackoffSchedule, type Clock } from './poll';
export { probeRocklet } from './rocklet-probe';
export { specIssues } from './spec-validation';
export { DockerRuntime, type DockerRuntimeOptions } from './docker/docker.runtime';
export { containerCreateOptions, rockletCommand } from './docker/docker-container-config';
export { baseRootfsTar, MANAGED_IMAGE_LABEL, ROCK_BASE_IMAGE } from './docker/docker-base-image';
export { LocalRuntime, type LocalRuntimeOptions } from './local/local.runtime';
export { bundleRockletCommand } from './local/local-command';
export { LocalWarmPool, WARM_MARKER_VAR, WARM_POOL_DIR, type WarmPoolObserver, type WarmPoolOutcome } from './local/warm-pool';
export { warmPoolBypassReason } from './local/warm-adopt';
export {
  createRuntime,
  createRuntimeFromSettings,
  detectRuntimeKind,
  type RuntimeHooks,
  type RuntimeSelection,
  kubernetesOptions,
  type KubernetesSettings,
  type RuntimeSettings,
} from './runtime.factory';
export {
  K8S_DEFAULTS,
  KubernetesRuntime,
  TokenBucket,
  cpuQuantity,
  podRockletCommand,
  sandboxPod,
  type KubernetesAuth,
  type KubernetesRuntimeOptions,
} from './kubernetes';
export { freePort } from './local/free-port';
