import { Reflector } from '@nestjs/core';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { RockConfig } from '@rock/config';
import { resolveRequestId, type RockLogger, type RockMetrics } from '@rock/observability';
import { LogController, type FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { ApiKeyGuard } from './api-key.guard';
import { DEFAULT_BARE_ERROR_PREFIXES } from './failure-reply';
import { FailureMessageInterceptor } from './failure-message.interceptor';
import { OPS_PATHS, registerOpsRoutes, type ReadinessCheck } from './ops.routes';
import { PlainRouteDocs } from './plain-route-docs';
import { outcomeOf } from './request-state';
import { RockExceptionFilter } from './rock-exception.filter';

/** Options of {@link createRockApp}. */
export interface RockAppOptions {
  /** `service` label and OpenAPI title suffix (`write`, `read`, `local`). */
  service: string;
  logger: RockLogger;
  metrics: RockMetrics | null;
  /** Service-specific readiness checks (Redis ping, runtime reachable). */
  readiness?: readonly ReadinessCheck[];
  /** Largest JSON body accepted, bytes (default 16 MiB). Multipart uploads are streamed apart. */
  bodyLimitBytes?: number;
  /** Prefixes answering bare `{detail}` errors (default: the GEM prefix). */
  bareErrorPrefixes?: readonly string[];
  /** Serve OpenAPI at `/docs` (default true). */
  docs?: boolean;
}

/** A ROCK HTTP application plus its graceful stop. */
export interface RockApp {
  app: NestFastifyApplication;
  fastify: FastifyInstance;
  /**
   * Graceful stop: readiness turns 503, the server stops accepting and drains in-flight requests
   * (bounded by `config.http.shutdownTimeoutMs`), then Nest's shutdown hooks close workers and Redis.
   * Idempotent.
   */
  stop(signal?: string): Promise<void>;
  /** Listens on `config.http.host:port` (port 0 = any); resolves with the bound port. */
  listen(): Promise<number>;
}

/** Request-id echo and the HTTP duration metric, as callback hooks (no promise per request). */
function instrument(fastify: FastifyInstance, metrics: RockMetrics | null): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  if (!metrics) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (!OPS_PATHS.has(route) && !route.startsWith('/docs')) {
      const statusCode = reply.statusCode;
      metrics.observeHttpRequest(
        { method: request.method, route, statusCode, outcome: outcomeOf(request, statusCode) },
        reply.elapsedTime / 1000,
      );
    }
    done();
  });
}

/** OpenAPI at `/docs`, built on first request so plain routes registered at init are listed too. */
function mountDocs(app: NestFastifyApplication, service: string, plainRoutes: PlainRouteDocs): void {
  const config = new DocumentBuilder()
    .setTitle(`ROCK ${service} service`)
    .setDescription('ROCK sandbox API (API.md). Sandbox routes answer {status, message, error, result}.')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
    .build();
  SwaggerModule.setup('docs', app, () => plainRoutes.addTo(SwaggerModule.createDocument(app, config)));
}

/**
 * Builds a ROCK Nest application on Fastify: request ids (`X-Request-Id` / `eagleeye-traceid`,
 * echoed and bound to `request.log`), the envelope exception filter, optional API-key auth,
 * `/healthz` `/readyz` `/metrics`, HTTP duration metrics by route and outcome, OpenAPI at `/docs`,
 * and SIGTERM/SIGINT handling through {@link RockApp.stop}.
 */
export async function createRockApp(module: unknown, config: RockConfig, options: RockAppOptions): Promise<RockApp> {
  const barePrefixes = options.bareErrorPrefixes ?? DEFAULT_BARE_ERROR_PREFIXES;
  const adapter = new FastifyAdapter({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    genReqId: (req: IncomingMessage) => resolveRequestId(req.headers),
    trustProxy: true,
    bodyLimit: options.bodyLimitBytes ?? 16 * 1024 * 1024,
    forceCloseConnections: 'idle',
  });
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const plainRoutes = new PlainRouteDocs();
  plainRoutes.watch(fastify);
  instrument(fastify, options.metrics);
  let shuttingDown = false;
  registerOpsRoutes(fastify, { checks: options.readiness ?? [], metrics: options.metrics, isShuttingDown: () => shuttingDown });
  app.useGlobalFilters(new RockExceptionFilter(barePrefixes));
  app.useGlobalGuards(new ApiKeyGuard(config.auth));
  app.useGlobalInterceptors(new FailureMessageInterceptor(app.get(Reflector)));
  if (options.docs ?? true) mountDocs(app, options.service, plainRoutes);
  let stopping: Promise<void> | null = null;
  const stop = (signal?: string): Promise<void> => {
    shuttingDown = true;
    stopping ??= drainAndClose(app, fastify, config.http.shutdownTimeoutMs, options.logger, signal);
    return stopping;
  };
  return {
    app,
    fastify,
    stop,
    listen: async () => {
      await app.listen(config.http.port, config.http.host);
      const address = fastify.server.address();
      return typeof address === 'object' && address ? address.port : config.http.port;
    },
  };
}

async function drainAndClose(
  app: NestFastifyApplication,
  fastify: FastifyInstance,
  timeoutMs: number,
  logger: RockLogger,
  signal?: string,
): Promise<void> {
  logger.info({ signal }, 'shutting down: no new requests, draining in-flight ones');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([new Promise<void>((resolve) => fastify.server.close(() => resolve())), deadline]);
  clearTimeout(timer);
  fastify.server.closeAllConnections();
  await app.close();
  logger.info('shut down');
}

/**
 * Runs `stop` on the first SIGTERM or SIGINT (a second signal exits at once). For `main.ts` files.
 */
export function stopOnSignals(stop: (signal: string) => Promise<void>, logger: RockLogger): void {
  let received = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (received) process.exit(1);
    received = true;
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
