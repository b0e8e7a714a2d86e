import { SANDBOX_API_PREFIX } from '@rock/contracts';
import { requestIdOf } from '@rock/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { failureWithStatus, logFailure, principalFromHeaders, type RawAuth } from '../infra/raw-route-support';
import { parseProxyTarget } from './proxy-target';
import { returnedHeaders, type ProxyService } from './proxy.service';

async function proxyOne(request: FastifyRequest, reply: FastifyReply, proxy: ProxyService, auth: RawAuth): Promise<void> {
  try {
    const caller = { principal: principalFromHeaders(request.headers, auth), requestId: requestIdOf(request) };
    const target = parseProxyTarget(request.url, request.headers);
    const body = (request.body as Readable | undefined) ?? null;
    const response = await proxy.forward(target, request.method, request.headers, body, caller);
    reply.raw.once('close', () => response.destroy());
    await reply.code(response.statusCode ?? 502).headers(returnedHeaders(response.headers)).send(response);
  } catch (error) {
    const { status, body } = failureWithStatus(error, 'proxy');
    logFailure(request.log, error, 'proxy');
    await reply.code(status).send(body);
  }
}

/**
 * `ANY /sandboxes/{id}/proxy[/port/{N}]/{path}` (API.md §3), in its own Fastify context whose
 * only body parser hands the raw request stream through, so bodies are streamed, never parsed.
 */
export async function registerProxyRoutes(app: FastifyInstance, proxy: ProxyService, auth: RawAuth): Promise<void> {
  await app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    const handler = (request: FastifyRequest, reply: FastifyReply): Promise<void> => proxyOne(request, reply, proxy, auth);
    scope.all(`${SANDBOX_API_PREFIX}/sandboxes/:id/proxy`, handler);
    scope.all(`${SANDBOX_API_PREFIX}/sandboxes/:id/proxy/*`, handler);
    done();
  });
}
