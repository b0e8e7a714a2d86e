import type { RockConfig } from '@rock/config';
import type { RockLogger, RockMetrics } from '@rock/observability';
import { createRuntimeFromSettings, type RuntimeLogger, type SandboxRuntime } from '@rock/runtime';

/**
 * The runtime driver `config.runtime.kind` names, labelled with `config.instance` (the driver
 * library maps the config section to driver options, so every service builds it the same way).
 */
export function runtimeFromConfig(config: RockConfig, logger: RockLogger, metrics?: RockMetrics): SandboxRuntime {
  const runtimeLogger = logger.child({ component: 'runtime' });
  const logs: RuntimeLogger = {
    info: (context, message) => runtimeLogger.info(context, message),
    warn: (context, message) => runtimeLogger.warn(context, message),
  };
  const warmPoolObserver = metrics && {
    size: (ready: number) => metrics.setWarmPoolReady(ready),
    take: (outcome: 'hit' | 'miss' | 'bypass') => metrics.recordWarmPoolTake(outcome),
  };
  return createRuntimeFromSettings({ ...config.runtime, instance: config.instance }, logs, { warmPoolObserver });
}
