import type { RockConfig } from '@rock/config';
import type { RockLogger } from '@rock/observability';
import { bundleRockletCommand, createRuntime, type RuntimeSelection, type SandboxRuntime } from '@rock/runtime';

/** The runtime driver `config.runtime.kind` names, labelled with `config.instance`. */
export function runtimeFromConfig(config: RockConfig, logger: RockLogger): SandboxRuntime {
  const runtimeLogger = logger.child({ component: 'runtime' });
  const logs = {
    info: (context: Record<string, unknown>, message: string) => runtimeLogger.info(context, message),
    warn: (context: Record<string, unknown>, message: string) => runtimeLogger.warn(context, message),
  };
  const r = config.runtime;
  let selection: RuntimeSelection;
  if (r.kind === 'local') {
    selection = {
      kind: 'local',
      options: {
        rootDir: r.local.sandboxDir,
        instance: config.instance,
        rockletCommand: bundleRockletCommand(r.rockletBundleDir),
        logger: logs,
      },
    };
  } else if (r.kind === 'docker') {
    selection = {
      kind: 'docker',
      options: {
        bundleDir: r.rockletBundleDir,
        instance: config.instance,
        socketPath: r.docker.socketPath,
        network: r.docker.network,
        logger: logs,
      },
    };
  } else {
    selection = { kind: 'kubernetes', options: { namespace: r.kubernetes.namespace } };
  }
  return createRuntime(selection);
}
