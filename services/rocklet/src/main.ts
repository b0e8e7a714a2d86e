import { buildRocklet } from './server';
import { ConfigError, loadRockletConfig, USAGE } from './rocklet.config';

/** Longest a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 5_000;

async function main(): Promise<void> {
  let outcome;
  try {
    outcome = loadRockletConfig(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (outcome.kind === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const { config } = outcome;
  const { app, services } = await buildRocklet(config);
  const shutdown = (signal: string): void => {
    app.log.info({ signal }, 'rocklet shutting down');
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    services.sessions.killAll();
    services.execute.killAll();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  app.log.info({ port, auth: config.token !== null, shell: config.shell }, 'rocklet ready');
}

main().catch((err: unknown) => {
  process.stderr.write(`rocklet failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
