import Dockerode from 'dockerode';
import { DockerRuntime, type DockerRuntimeOptions } from './docker/docker.runtime';
import { bundleRockletCommand } from './local/local-command';
import { LocalRuntime, type LocalRuntimeOptions } from './local/local.runtime';
import { RuntimeError } from './runtime.errors';
import type { RuntimeLogger, SandboxRuntime } from './runtime.types';

/** Which driver to build and its options. */
export type RuntimeSelection =
  | { kind: 'docker'; options: DockerRuntimeOptions }
  | { kind: 'local'; options: LocalRuntimeOptions }
  | { kind: 'kubernetes'; options: unknown };

/** Builds the selected driver. `kubernetes` is provided by its own module (not here yet). */
export function createRuntime(selection: RuntimeSelection): SandboxRuntime {
  switch (selection.kind) {
    case 'docker':
      return new DockerRuntime(selection.options);
    case 'local':
      return new LocalRuntime(selection.options);
    default:
      throw new RuntimeError('NOT_SUPPORTED', `Runtime "${selection.kind}" is not available in @rock/runtime yet.`);
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
  local: { sandboxDir: string };
}

/** Builds the configured driver with its defaults (the local driver runs rocklet from the bundle). */
export function createRuntimeFromSettings(settings: RuntimeSettings, logger?: RuntimeLogger): SandboxRuntime {
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
        logger,
      },
    });
  }
  return createRuntime({ kind: settings.kind, options: {} });
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
