import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { parseResetSeed, parseStepAction } from './env-requests';
import type { GemEnvService } from './gem-env.service';
import { envErrorAnswer } from './gem.routes';

export interface EnvFastLaneOptions {
  env: GemEnvService;
  /** True when the Authorization header is accepted (always, with auth off). */
  authorized: (authorization: string | undefined) => boolean;
  requestIdOf: (req: IncomingMessage) => string;
  /** The app's own JSON body parser (whitespace-only = `{}`); throws Fastify's 400 errors. */
  parseJson: (text: string) => unknown;
  bodyLimit: number;
  log: FastifyBaseLogger;
}

type Route = (env: GemEnvService, body: unknown) => unknown;

const ROUTES = new Map<string | undefined, Route>([
  ['/env/step', (env, body) => env.step(parseStepAction(body))],
  ['/env/reset', (env, body) => env.reset(parseResetSeed(body))],
]);

function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const semi = header.indexOf(';');
  return (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase() === 'application/json';
}

/**
 * The RL hot path without the framework: an authenticated `POST /env/step` or `/env/reset` with a
 * JSON body of known length (1..bodyLimit bytes) is answered right here with node:http — same
 * status, body, `x-request-id` and error mapping as the Fastify routes in `gem.routes.ts`, which
 * serve everything else (no or bad token → 401, chunked or oversized bodies → 413, other content
 * types). Across 50 sandboxes each rocklet sees a few steps per second, so its code rarely gets
 * optimised: running a tenth of the JavaScript per step is what makes a step cheap there.
 * Access lines (marked `lane: "fast"`): debug for successes, info for failures.
 */
export class EnvFastLane {
  constructor(private readonly options: EnvFastLaneOptions) {}

  /** Serves the request and returns true, or returns false without touching it. */
  take(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST') return false;
    const route = ROUTES.get(req.url);
    if (!route || req.headers['transfer-encoding'] !== undefined) return false;
    const length = Number(req.headers['content-length']);
    if (!(length >= 1 && length <= this.options.bodyLimit)) return false;
    if (!isJsonContentType(req.headers['content-type']) || !this.options.authorized(req.headers.authorization)) return false;
    this.serve(req, res, route);
    return true;
  }

  private serve(req: IncomingMessage, res: ServerResponse, route: Route): void {
    const started = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      const reqId = this.options.requestIdOf(req);
      const { status, payload } = this.answer(route, chunks, reqId);
      const text = JSON.stringify(payload);
      res.writeHead(status, {
        'x-request-id': reqId,
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
      const ms = Math.round(performance.now() - started);
      this.options.log[status < 400 ? 'debug' : 'info']({ reqId, method: req.method, url: req.url, status, ms, lane: 'fast' }, 'request');
    });
  }

  private answer(route: Route, chunks: Buffer[], reqId: string): { status: number; payload: unknown } {
    try {
      const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
      return { status: 200, payload: route(this.options.env, this.options.parseJson(text)) };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const { status, body, expected } = envErrorAnswer(error);
      if (!expected) this.options.log.error({ reqId, err: error }, 'unexpected GEM env error');
      return { status, payload: body };
    }
  }
}
