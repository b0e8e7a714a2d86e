import { createServer } from 'node:http';
import { RockletFrontDoor } from './front-door';
import { ConfigError, loadRockletConfig, USAGE } from './rocklet.config';

/** One turn of the event loop, so /is_alive requests that arrived meanwhile are answered. */
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Loads the app graph in slices (each a synchronous require of tens of ms), yielding between them:
 * a readiness probe waits for at most one slice, not for the whole graph.
 */
async function loadBuilder(): Promise<typeof import('./server').buildRocklet> {
  await import('fastify').then(yieldToIo);
  await import('@fastify/multipart').then(yieldToIo);
  await import('@fastify/websocket').then(yieldToIo);
  await import('@rock/contracts').then(yieldToIo);
  return (await import('./server')).buildRocklet;
}

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
  // Listen first (only node:http is loaded): /is_alive answers while the app graph loads.
  const door = new RockletFrontDoor();
  const port = await door.listen(config.host, config.port);
  const buildRocklet = await loadBuilder();
  const built = await buildRocklet(config, { serverFactory: (handler) => createServer(handler) }).catch((err: unknown) => {
    door.fail(err instanceof Error ? err : new Error(String(err)));
    throw err;
  });
  const { app, services, fastLane } = built;
  const shutdown = (signal: string): void => {
    app.log.info({ signal }, 'rocklet shutting down');
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    services.sessions.killAll();
    services.execute.killAll();
    door.server.close();
    door.server.closeIdleConnections();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await app.ready();
  door.attach(app.server, (req, res) => fastLane.take(req, res));
  app.log.info({ port, auth: config.token !== null, shell: config.shell }, 'rocklet ready');
}

main().catch((err: unknown) => {
  process.stderr.write(`rocklet failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
