import { findRepoRoot, loadConfig, type RockConfig, type VariableName } from '@rock/config';
import { createRockApp, type RockApp } from '@rock/http';
import { createLogger, RockMetrics } from '@rock/observability';
import { SandboxRegistry } from '@rock/registry';
import { freePort } from '@rock/runtime';
import { readLocalEnvironment } from './local.config';
import { LocalModule } from './local.module';
import { provisionRedis, type ProvisionedRedis } from './redis-provision';
import { ensureRockletBundle } from './rocklet-bundle';
import { dockerAnswers } from './runtime-probe';

/** Options of {@link startLocalMode} (the `rock admin start` flags). */
export interface LocalModeOptions {
  port?: number;
  host?: string;
  /** `docker` or `local`; unset: Docker when the daemon answers, else local. */
  runtime?: 'docker' | 'local';
  /** Leave live sandboxes running on shutdown (the reconciler of the next start handles them). */
  keepSandboxes?: boolean;
  /** Where human-readable progress lines go (default stderr). */
  log?: (line: string) => void;
}

/** A running local-mode server. */
export interface LocalModeServer {
  url: string;
  port: number;
  host: string;
  runtime: string;
  redisUrl: string;
  redisOwned: boolean;
  /** Stops live sandboxes (unless `keepSandboxes`), drains HTTP, closes workers, Redis connections and a private Redis. Idempotent. */
  stop(signal?: string): Promise<void>;
}

/** Budget for stopping every live sandbox at shutdown. */
const SHUTDOWN_STOP_BUDGET_MS = 60_000;
const STOP_ROUTE = '/apis/envs/sandbox/v1/stop';

async function pickRuntime(config: RockConfig, requested: LocalModeOptions['runtime']): Promise<'docker' | 'local' | 'kubernetes'> {
  if (requested) return requested;
  if (config.runtime.kindExplicit) return config.runtime.kind;
  return (await dockerAnswers(config.runtime.docker.socketPath, 2_000)) ? 'docker' : 'local';
}

function overridesFor(options: LocalModeOptions, redisUrl: string, runtime: string): Partial<Record<VariableName, string>> {
  const overrides: Partial<Record<VariableName, string>> = { ROCK_MODE: 'local', ROCK_REDIS_URL: redisUrl, ROCK_RUNTIME: runtime };
  if (options.port !== undefined) overrides.ROCK_PORT = String(options.port);
  if (options.host !== undefined) overrides.ROCK_HOST = options.host;
  return overrides;
}

/** The API key of `owner` when authentication is on (so the stop is made as the sandbox's owner). */
function keyOf(config: RockConfig, owner: string): Record<string, string> {
  if (!config.auth.enabled) return {};
  for (const [key, principal] of config.auth.apiKeys) if (principal === owner) return { 'x-api-key': key };
  return {};
}

/**
 * Stops every live sandbox through the write service's own `/stop` route (in-process inject), so
 * registry and runtime stay consistent; bounded by {@link SHUTDOWN_STOP_BUDGET_MS}.
 */
async function stopLiveSandboxes(rock: RockApp, config: RockConfig, registry: SandboxRegistry, log: (line: string) => void): Promise<void> {
  const ids = await registry.aliveIds();
  if (ids.length === 0) return;
  log(`stopping ${ids.length} live sandbox(es)…`);
  const stops = ids.map(async (id) => {
    const record = await registry.get(id);
    if (!record) return;
    const reply = await rock.fastify.inject({ method: 'POST', url: STOP_ROUTE, headers: keyOf(config, record.owner), payload: { sandbox_id: id } });
    const body = reply.json<{ status?: string; error?: string }>();
    if (body.status !== 'Success') log(`could not stop ${id}: ${body.error ?? reply.body}`);
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_STOP_BUDGET_MS)));
  await Promise.race([Promise.all(stops).catch((error: unknown) => log(`stopping sandboxes failed: ${String(error)}`)), deadline]);
  clearTimeout(timer);
}

/**
 * Starts ROCK's local mode: finds or starts Redis, picks the runtime, makes sure the rocklet bundle
 * exists, then serves the write and read modules on one port. On `stop()` live sandboxes are
 * stopped through the lifecycle (a local-mode user expects Ctrl-C to leave nothing running) unless
 * `keepSandboxes` is set.
 */
export async function startLocalMode(options: LocalModeOptions = {}): Promise<LocalModeServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const environment = readLocalEnvironment();
  const defaults = loadConfig(environment.env, { ROCK_MODE: 'local' });
  const redis: ProvisionedRedis = await provisionRedis(environment.redisUrl, defaults.redis.url);
  try {
    const runtime = await pickRuntime(defaults, options.runtime);
    // ROCK_PORT has no "any port" value: port 0 becomes a port the OS just handed out.
    const port = options.port === 0 ? await freePort() : options.port;
    const config = loadConfig(environment.env, overridesFor({ ...options, port }, redis.url, runtime));
    await ensureRockletBundle(config.runtime.rockletBundleDir, findRepoRoot(), log);
    return await serve(config, redis, options, log);
  } catch (error) {
    await redis.stop();
    throw error;
  }
}

async function serve(config: RockConfig, redis: ProvisionedRedis, options: LocalModeOptions, log: (line: string) => void): Promise<LocalModeServer> {
  const logger = createLogger({ service: 'local', level: config.log.level });
  const metrics = new RockMetrics({ service: 'local' });
  const registry = SandboxRegistry.connect(config.redis.url, {
    prefix: config.redis.prefix,
    stoppedRetentionSeconds: config.sandbox.stoppedRetentionSeconds,
    onError: (error) => logger.warn({ err: error }, 'registry event error'),
  });
  let rock: RockApp | null = null;
  let port: number;
  try {
    rock = await createRockApp(LocalModule.forRoot(config, { logger, metrics, registry }), config, {
      service: 'local',
      logger,
      metrics: config.metrics.enabled ? metrics : null,
      readiness: [{ name: 'redis', check: async () => void (await registry.liveTotals()) }],
    });
    port = await rock.listen();
  } catch (error) {
    // Close what was opened so the process can exit with the error instead of hanging on sockets.
    await rock?.stop().catch(() => undefined);
    await registry.close().catch(() => undefined);
    throw error;
  }
  const app = rock;
  let stopping: Promise<void> | null = null;
  const stop = async (signal?: string): Promise<void> => {
    if (!options.keepSandboxes) await stopLiveSandboxes(app, config, registry, log);
    await app.stop(signal);
    await registry.close();
    await redis.stop();
  };
  const host = config.http.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    host,
    runtime: config.runtime.kind,
    redisUrl: redis.url,
    redisOwned: redis.owned,
    stop: (signal) => (stopping ??= stop(signal)),
  };
}
