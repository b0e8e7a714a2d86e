import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RockError, ValidationError } from '@rock/contracts';
import { EnvRequestError } from './env-errors';
import { parseMakeRequest, parseResetSeed, parseStepAction } from './env-requests';
import type { GemEnvService } from './gem-env.service';

/**
 * Maps `/env/*` failures to `{"detail": message}` with a real status, by type: our request errors,
 * `@rock/gem`'s RockErrors (unknown env id with close matches, bad seed, missing data → their own
 * status), kwargs validation (400), Fastify's own 4xx (malformed JSON, body over the limit).
 */
function handleEnvError(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof EnvRequestError) return reply.code(error.status).send({ detail: error.message });
  if (error instanceof ValidationError) return reply.code(400).send({ detail: error.message });
  if (error instanceof RockError && error.httpStatus >= 400 && error.httpStatus < 600) {
    return reply.code(error.httpStatus).send({ detail: error.message });
  }
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) return reply.code(status).send({ detail: `body: ${error.message}` });
  req.log.error({ err: error }, 'unexpected GEM env error');
  return reply.code(500).send({ detail: `${error.name}: ${error.message}` });
}

/** POST /env/make|reset|step|close|list (API.md §5), bare JSON; auth as every other route. */
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
