import type { RockLogger } from '@rock/observability';
import {
  RockError,
  ValidationError,
  ROUTE_FAILURE_MESSAGES,
  toFailureEnvelope,
  type SandboxRoute,
} from '@rock/contracts';
import { failureAnswer, principalFromHeaders, type ApiKeyAuthOptions } from '@rock/http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Authentication settings (RockConfig.auth). */
export type RawAuth = ApiKeyAuthOptions;

/** The principal of a request on a route outside Nest, checked as the API-key guard does (API.md §7). */
export { principalFromHeaders };

/** Sends the route's Failed envelope the way the exception filter would (opt-in HTTP statuses). */
export async function sendRouteFailure(error: unknown, route: SandboxRoute, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const answer = failureAnswer(error, request, []);
  const body = answer.body as { message?: unknown };
  if (body && typeof body === 'object' && body.message !== 'invalid parameter') body.message = ROUTE_FAILURE_MESSAGES[route];
  logFailure(request.log, error, route);
  if (answer.retryAfterSeconds !== undefined) void reply.header('retry-after', String(answer.retryAfterSeconds));
  await reply.status(answer.statusCode).send(answer.body);
}

/** Expected failures (typed errors) are logged in one line; anything else with its stack. */
export function logFailure(log: Pick<RockLogger, 'info' | 'warn'>, error: unknown, route: string): void {
  if (error instanceof RockError || error instanceof ValidationError) log.info({ error: error.message }, `${route} failed`);
  else log.warn({ err: error }, `${route} failed unexpectedly`);
}

/** The envelope body and real HTTP status of a failure (proxy and upgrade answers). */
export function failureWithStatus(error: unknown, route: SandboxRoute): { status: number; body: unknown } {
  const mapped = toFailureEnvelope(error, ROUTE_FAILURE_MESSAGES[route]);
  return { status: mapped.httpStatus === 200 ? 400 : mapped.httpStatus, body: mapped.body };
}
