import { loadConfig, type RockConfig } from '@rock/config';
import { createLogger, RockMetrics, type RockLogger } from '@rock/observability';
import { SandboxRegistry } from '@rock/registry';
import { createRockApp, stopOnSignals } from './create-rock-app';

/** What a standalone service process shares with its Nest module (local mode shares the same three). */
export interface ServiceShared {
  logger: RockLogger;
  metrics: RockMetrics;
  registry: SandboxRegistry;
}

/** How one service boots: its name, its root module, and what its "listening" log line adds. */
export interface ServiceEntry {
  service: 'write' | 'read';
  module: (config: RockConfig, shared: ServiceShared) => unknown;
  listeningFields?: (config: RockConfig) => Record<string, unknown>;
}

/**
 * The logger, metrics and registry a service uses: the ones it was given (local mode shares one set
 * between write and read), else its own. `ownsRegistry` says whether the caller must close it.
 */
export function resolveServiceShared(service: ServiceEntry['service'], config: RockConfig, given: Partial<ServiceShared> = {}): ServiceShared & { ownsRegistry: boolean } {
  const logger = given.logger ?? createLogger({ service, level: config.log.level });
  const metrics = given.metrics ?? new RockMetrics({ service });
  const registry =
    given.registry ??
    SandboxRegistry.connect(config.redis.url, {
      prefix: config.redis.prefix,
      stoppedRetentionSeconds: config.sandbox.stoppedRetentionSeconds,
      onError: (error) => logger.warn({ err: error }, 'registry event error'),
    });
  return { logger, metrics, registry, ownsRegistry: given.registry === undefined };
}

async function boot(entry: ServiceEntry, config: RockConfig): Promise<void> {
  const { logger, metrics, registry } = resolveServiceShared(entry.service, config);
  const rock = await createRockApp(entry.module(config, { logger, metrics, registry }), config, {
    service: entry.service,
    logger,
    metrics: config.metrics.enabled ? metrics : null,
    readiness: [{ name: 'redis', check: async () => void (await registry.liveTotals()) }],
  });
  stopOnSignals(async (signal) => {
    await rock.stop(signal);
    await registry.close();
  }, logger);
  const port = await rock.listen();
  logger.info({ port, ...entry.listeningFields?.(config) }, `${entry.service} service listening`);
}

/**
 * The `main` of a standalone service process: configuration from the environment (a bad value
 * exits 2 with one line naming every bad variable), then the app on `config.http.port`, stopped
 * cleanly on SIGTERM/SIGINT. A failure to start exits 1.
 */
export function runRockService(entry: ServiceEntry): void {
  let config: RockConfig;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  boot(entry, config).catch((error: unknown) => {
    process.stderr.write(`${entry.service} service failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
