import type { KubernetesConfig } from '@rock/config';
import Dockerode from 'dockerode';
import { DockerRuntime, type DockerRuntimeOptions } from './docker/docker.runtime';
import { bundleRockletCommand } from './local/local-command';
import { KubernetesRuntime } from './kubernetes/kubernetes.runtime';
import type { KubernetesRuntimeOptions } from './kubernetes/kubernetes.options';
import { LocalRuntime, type LocalRuntimeOptions } from './local/local.runtime';
import { RuntimeError } from './runtime.errors';
import type { RuntimeLogger, SandboxRuntime } from './runtime.types';
import type { WarmPoolObserver } from './local/warm-pool';

/** Which driver to build and its options. */
export type RuntimeSelection =
  | { kind: 'docker'; options: DockerRuntimeOptions }
  | { kind: 'local'; options: LocalRuntimeOptions }
  | { kind: 'kubernetes'; options: KubernetesRuntimeOptions };

/** Builds the selected driver. */
export function createRuntime(selection: RuntimeSelection): SandboxRuntime {
  switch (selection.kind) {
    case 'docker':
      return new DockerRuntime(selection.options);
    case 'local':
      return new LocalRuntime(selection.options);
    case 'kubernetes':
      return new KubernetesRuntime(selection.options);
    default:
      throw new RuntimeError('NOT_SUPPORTED', `Runtime "${(selection as { kind: string }).kind}" is not available in @rock/runtime.`);
  }
}

/**
 * The configuration subset the drivers need; `{ ...config.runtime, instance: config.instance }`
 * of `@rock/config` fits it.
 */
export interface RuntimeSettings {
  kind: 'docker' | 'local' | 'kubernetes';
  rockletBundleDir: string;
  instance: string;
  docker: { socketPath: string; network: string };
  /** `warmPool`: pre-started local rocklets (0 or absent: none). */
  local: { sandboxDir: string; warmPool?: number };
  /** Required when `kind` is `kubernetes` (`config.runtime.kubernetes` of `@rock/config` fits). */
  kubernetes?: KubernetesSettings;
}

/** The kubernetes part of {@link RuntimeSettings}: the shape `@rock/config` defines, taken as is. */
export type KubernetesSettings = KubernetesConfig;

/** Driver options from the kubernetes settings (kubeconfig when a path is set, else in-cluster). */
export function kubernetesOptions(settings: KubernetesSettings, instance: string, logger?: RuntimeLogger): KubernetesRuntimeOptions {
  return {
    namespace: settings.namespace,
    instance,
    rockletImage: settings.rockletImage,
    auth: settings.kubeconfig ? { mode: 'kubeconfig', path: settings.kubeconfig, context: settings.context ?? undefined } : { mode: 'in-cluster' },
    qps: settings.qps,
    burst: settings.burst,
    activeDeadlineSeconds: settings.activeDeadlineSeconds,
    nodeSelector: { ...settings.nodeSelector },
    tolerations: settings.tolerations.map((t) => ({ ...t })),
    runtimeClassName: settings.runtimeClassName,
    imagePullSecrets: [...settings.imagePullSecrets],
    logger,
  };
}

/** Optional hooks of {@link createRuntimeFromSettings}. */
export interface RuntimeHooks {
  /** Receives the local warm pool's size and hit/miss counts (e.g. into metrics). */
  warmPoolObserver?: WarmPoolObserver;
}

/** Builds the configured driver with its defaults (the local driver runs rocklet from the bundle). */
export function createRuntimeFromSettings(settings: RuntimeSettings, logger?: RuntimeLogger, hooks: RuntimeHooks = {}): SandboxRuntime {
  if (settings.kind === 'docker') {
    return createRuntime({
      kind: 'docker',
      options: {
        bundleDir: settings.rockletBundleDir,
        instance: settings.instance,
        socketPath: settings.docker.socketPath,
        network: settings.docker.network,
        logger,
      },
    });
  }
  if (settings.kind === 'local') {
    return createRuntime({
      kind: 'local',
      options: {
        rootDir: settings.local.sandboxDir,
        instance: settings.instance,
        rockletCommand: bundleRockletCommand(settings.rockletBundleDir),
        warmPool: { size: settings.local.warmPool ?? 0, observer: hooks.warmPoolObserver },
        logger,
      },
    });
  }
  if (!settings.kubernetes) throw new RuntimeError('INVALID_SPEC', 'kubernetes: settings are required when kind is "kubernetes"');
  return createRuntime({ kind: 'kubernetes', options: kubernetesOptions(settings.kubernetes, settings.instance, logger) });
}

/**
 * Local mode's choice when no runtime was configured: `docker` if the daemon at `socketPath`
 * answers a ping within `timeoutMs`, else `local`.
 */
export async function detectRuntimeKind(socketPath: string, timeoutMs = 1000): Promise<'docker' | 'local'> {
  const docker = new Dockerode({ socketPath, timeout: timeoutMs });
  try {
    await docker.ping();
    return 'docker';
  } catch {
    return 'local';
  }
}
