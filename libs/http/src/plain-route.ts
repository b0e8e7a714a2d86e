import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DocumentedRouteConfig, PlainRouteDoc } from './plain-route-docs';

/**
 * A hot POST route served by Fastify directly, next to the Nest controllers: no guard, interceptor,
 * pipe or rxjs pipeline per call. The route does its own auth (`principalFromHeaders`), validation
 * (`parseOrThrow`) and failure answers (`sendFailure`), so its answers match a controller's.
 */
export interface PlainPostRoute {
  /** Full path. */
  url: string;
  /** How `/docs` lists the route. */
  doc: PlainRouteDoc;
  /** Answers the request; a rejection is handed to {@link PlainPostRoute.fail}. */
  handle(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Sends the failure answer: errors of `handle`, and bodies Fastify refuses before it (not JSON, too large). */
  fail(error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/** Registers `route` on `fastify` (documented for `/docs`, counted by the HTTP duration metric by its URL). */
export function registerPlainPost(fastify: FastifyInstance, route: PlainPostRoute): void {
  const fail = (error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void> =>
    route.fail(error, request, reply).catch((sendError: unknown) => request.log.error({ err: sendError }, 'could not send the failure response'));
  const config: DocumentedRouteConfig = { openapi: route.doc };
  fastify.route({
    method: 'POST',
    url: route.url,
    config,
    handler: (request, reply) => route.handle(request, reply).catch((error: unknown) => fail(error, request, reply)),
    errorHandler: (error, request, reply) => {
      void fail(error, request, reply);
    },
  });
}
