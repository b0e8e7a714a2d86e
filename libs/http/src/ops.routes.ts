import type { RockMetrics } from '@rock/observability';
import type { FastifyInstance } from 'fastify';

/** One readiness dependency (Redis ping, runtime reachable, …); throws when not ready. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** Budget of one readiness check; a slow dependency counts as not ready. */
const CHECK_TIMEOUT_MS = 2000;

async function runCheck(check: ReadinessCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check.check(), timeout]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

/** Options of {@link registerOpsRoutes}. */
export interface OpsRoutesOptions {
  checks: readonly ReadinessCheck[];
  metrics: RockMetrics | null;
  /** True once shutdown began: readiness fails so load balancers drain this replica. */
  isShuttingDown: () => boolean;
}

/**
 * `/healthz` (process alive), `/readyz` (every {@link ReadinessCheck} passes, 503 naming the
 * failing ones otherwise) and `/metrics` (Prometheus text), as plain Fastify routes: no auth,
 * no envelope, no request metrics of their own.
 */
export function registerOpsRoutes(fastify: FastifyInstance, options: OpsRoutesOptions): void {
  fastify.get('/healthz', (_request, reply) => reply.send({ status: 'ok' }));
  fastify.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(options.checks.map(async (c) => [c.name, await runCheck(c)] as const));
    const checks = Object.fromEntries(results);
    if (options.isShuttingDown()) checks.shutdown = 'shutting down';
    const ready = Object.values(checks).every((v) => v === 'ok');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks });
  });
  const metrics = options.metrics;
  if (metrics) {
    fastify.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()));
  }
}

/** Paths that the HTTP duration metric skips (scrapes and probes would drown real traffic). */
export const OPS_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);
