import { loadConfig, type RockConfig } from '@rock/config';
import { createRockApp, stopOnSignals } from '@rock/http';
import { createLogger, RockMetrics } from '@rock/observability';
import { SandboxRegistry } from '@rock/registry';
import { ReadModule } from './read.module';

/** Boots the read service standalone on `config.http.port` (ROCK_PORT). */
async function main(config: RockConfig): Promise<void> {
  const logger = createLogger({ service: 'read', level: config.log.level });
  const metrics = new RockMetrics({ service: 'read' });
  const registry = SandboxRegistry.connect(config.redis.url, {
    prefix: config.redis.prefix,
    stoppedRetentionSeconds: config.sandbox.stoppedRetentionSeconds,
    onError: (error) => logger.warn({ err: error }, 'registry event error'),
  });
  const rock = await createRockApp(ReadModule.forRoot(config, { logger, metrics, registry }), config, {
    service: 'read',
    logger,
    metrics: config.metrics.enabled ? metrics : null,
    readiness: [{ name: 'redis', check: async () => void (await registry.liveTotals()) }],
  });
  stopOnSignals(async (signal) => {
    await rock.stop(signal);
    await registry.close();
  }, logger);
  const port = await rock.listen();
  logger.info({ port }, 'read service listening');
}

let config: RockConfig;
try {
  config = loadConfig();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
main(config).catch((error: unknown) => {
  process.stderr.write(`read service failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
