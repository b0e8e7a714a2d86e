import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RockError, ValidationError } from '@rock/contracts';
import { EnvRequestError } from './env-errors';
import { parseMakeRequest, parseResetSeed, parseStepAction } from './env-requests';
import type { GemEnvService } from './gem-env.service';

/** A `/env/*` failure as it goes on the wire: a real status and `{"detail": message}`. */
export interface EnvErrorAnswer {
  status: number;
  body: { detail: string };
}

/**
 * Maps `/env/*` failures by type: our request errors, `@rock/gem`'s RockErrors (unknown env id
 * with close matches, bad seed, missing data → their own status), kwargs validation (400),
 * Fastify's own 4xx (malformed JSON, body over the limit). Anything else is a 500 (`expected:
 * false`, to be logged). Shared by the Fastify routes and {@link EnvFastLane}.
 */
export function envErrorAnswer(error: Error): EnvErrorAnswer & { expected: boolean } {
  const answer = (status: number, detail: string, expected = true): EnvErrorAnswer & { expected: boolean } => ({
    status,
    body: { detail },
    expected,
  });
  if (error instanceof EnvRequestError) return answer(error.status, error.message);
  if (error instanceof ValidationError) return answer(400, error.message);
  if (error instanceof RockError && error.httpStatus >= 400 && error.httpStatus < 600) return answer(error.httpStatus, error.message);
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) return answer(status, `body: ${error.message}`);
  return answer(500, `${error.name}: ${error.message}`, false);
}

function handleEnvError(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body, expected } = envErrorAnswer(error);
  if (!expected) req.log.error({ err: error }, 'unexpected GEM env error');
  return reply.code(status).send(body);
}

/**
 * POST /env/make|reset|step|close|list (API.md §5), bare JSON; auth as every other route. In a
 * running rocklet, authenticated JSON step/reset calls are answered by {@link EnvFastLane} before
 * they reach these routes; the routes stay the reference (and serve chunked or unusual requests).
 */
export function registerGemRoutes(app: FastifyInstance, env: GemEnvService, bodyLimit: number): void {
  void app.register((scope, _opts, done) => {
    scope.setErrorHandler(handleEnvError);
    const opts = { bodyLimit };
    scope.post('/env/make', opts, (req) => env.make(parseMakeRequest(req.body ?? {})));
    scope.post('/env/reset', opts, (req, reply) => reply.send(env.reset(parseResetSeed(req.body ?? {}))));
    scope.post('/env/step', opts, (req, reply) => reply.send(env.step(parseStepAction(req.body ?? {}))));
    scope.post('/env/close', opts, (_req, reply) => reply.send(env.close()));
    scope.post('/env/list', opts, () => env.list());
    done();
  });
}
