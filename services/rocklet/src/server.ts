import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyError, type FastifyServerFactory, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import websocket from '@fastify/websocket';
import { RockletErrorClass, ValidationError, type RockletExceptionBody } from '@rock/contracts';
import { BearerTokenVerifier } from './auth';
import { RockletError, RockletTimeoutError } from './errors';
import { ExecuteService } from './execute.service';
import { FileService } from './files/file.service';
import { UploadService } from './files/upload.service';
import { EnvFastLane } from './gem/env-fast-lane';
import { GemEnvService } from './gem/gem-env.service';
import { registerGemRoutes } from './gem/gem.routes';
import { registerPortForward } from './portforward';
import type { RockletConfig } from './rocklet.config';
import { registerRoutes } from './routes';
import type { RockletServices } from './rocklet.services';
import { SessionService } from './session/session.service';
import { StatisticsService } from './stats/statistics.service';


const PUBLIC_ROUTES = new Set(['/is_alive']);
/** Routes RL rollouts call thousands of times: their successful access lines are debug-level. */
const HOT_ROUTES = new Set(['/env/step', '/env/reset']);
const BLANK = /^\s*$/;

function requestIdOf(req: { headers: Record<string, string | string[] | undefined> }): string {
  const pick = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v) || undefined;
  const id = pick(req.headers['x-request-id']) ?? pick(req.headers['eagleeye-traceid']) ?? randomUUID();
  return id.slice(0, 128);
}

function errorBody(classPath: string, message: string, extra: Record<string, unknown> = {}): RockletExceptionBody {
  return { rockletexception: { message, class_path: classPath, extra_info: extra } };
}

/** One place maps failures to the wire: 511 rockletexception, 504 detail, 401 for auth. */
function handleError(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof RockletTimeoutError) return reply.code(504).send({ detail: error.message });
  if (error instanceof RockletError) return reply.code(511).send(errorBody(error.classPath, error.message, error.extraInfo));
  if (error instanceof ValidationError) return reply.code(511).send(errorBody(RockletErrorClass.InvalidParameter, error.message));
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return reply.code(511).send(errorBody(RockletErrorClass.InvalidParameter, `body: ${error.message}`));
  }
  req.log.error({ err: error }, 'unexpected rocklet error');
  return reply.code(511).send(errorBody(RockletErrorClass.Internal, error.message));
}

/**
 * The app's JSON body parser: Fastify's own (prototype poisoning refused, its 400 errors), except
 * that a blank body is `{}` — clients POST `/close` and friends with a JSON type and no body.
 */
function jsonTextParser(app: FastifyInstance): (text: string) => unknown {
  const parse = app.getDefaultJsonParser('error', 'ignore');
  return (text) => {
    if (BLANK.test(text)) return {};
    let failure: Error | null = null;
    let value: unknown;
    // Fastify's default parser answers synchronously.
    void parse(null as unknown as FastifyRequest, text, (err, parsed) => {
      failure = err;
      value = parsed;
    });
    if (failure) throw failure;
    return value;
  };
}

export interface BuiltRocklet {
  app: FastifyInstance;
  services: RockletServices;
  /** Serves authenticated JSON /env/step and /env/reset calls before Fastify (see RockletFrontDoor.attach). */
  fastLane: EnvFastLane;
}

/** Builds the rocklet HTTP server (not listening). */
export async function buildRocklet(config: RockletConfig, options: { serverFactory?: FastifyServerFactory } = {}): Promise<BuiltRocklet> {
  const app = Fastify({
    // main.ts passes a server that never listens: its RockletFrontDoor owns the socket.
    serverFactory: options.serverFactory,
    logger: { level: config.logLevel },
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdOf,
    // JSON write_file bodies carry whole files (escaping may double them).
    bodyLimit: config.maxWriteFileBytes * 2 + 1024 * 1024,
  });
  const verifier = config.token === null ? null : new BearerTokenVerifier(config.token);
  app.addHook('onRequest', (req, reply, done) => {
    void reply.header('x-request-id', req.id);
    const path = req.url.split('?', 1)[0];
    if (verifier && !PUBLIC_ROUTES.has(path) && !verifier.verify(req.headers.authorization)) {
      void reply.code(401).send({ detail: 'missing or invalid bearer token' });
      return;
    }
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const level = HOT_ROUTES.has(req.url) && reply.statusCode < 400 ? 'debug' : 'info';
    req.log[level](
      { method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
    done();
  });
  app.setErrorHandler(handleError);
  const parseJson = jsonTextParser(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJson(body.toString()));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  await app.register(multipart, {
    limits: { fileSize: config.maxUploadBytes, files: 1, fields: 20, fieldSize: 64 * 1024 },
  });
  await app.register(websocket, { options: { maxPayload: 16 * 1024 * 1024 } });
  const services: RockletServices = {
    sessions: new SessionService(config),
    execute: new ExecuteService(config),
    files: new FileService(config),
    uploads: new UploadService(config),
    statistics: new StatisticsService(),
    gemEnv: new GemEnvService(config.gemDataDir),
  };
  registerRoutes(app, services);
  registerGemRoutes(app, services.gemEnv, config.maxEnvBodyBytes);
  registerPortForward(app);
  const fastLane = new EnvFastLane({
    env: services.gemEnv,
    authorized: (authorization) => verifier === null || verifier.verify(authorization),
    requestIdOf,
    parseJson,
    bodyLimit: config.maxEnvBodyBytes,
    log: app.log,
  });
  return { app, services, fastLane };
}
