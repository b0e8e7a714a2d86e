import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

const ALIVE_BODY = '{"is_alive":true,"message":""}';

/** Longest the front door holds a request while the app is still being built. */
const BUILD_DEADLINE_MS = 30_000;

/** Serves a request itself and returns true, or returns false to leave it to the app. */
export type RequestLane = (req: IncomingMessage, res: ServerResponse) => boolean;

type Held = { kind: 'request'; req: IncomingMessage; res: ServerResponse } | { kind: 'upgrade'; req: IncomingMessage; socket: Duplex; head: Buffer };

/**
 * The rocklet's listening socket, opened before Fastify, zod and the route services are even
 * loaded: `GET /is_alive` is answered at once (it needs nothing else), every other request and
 * WebSocket upgrade is held, unread, until {@link attach} hands it to the built app's own
 * (never-listening) server. Start-up readiness is then node's boot plus this file, not the whole
 * app graph; the app builds right after listen, in parallel with the caller's own work.
 */
export class RockletFrontDoor {
  readonly server: Server;
  private app: Server | null = null;
  private lane: RequestLane | null = null;
  private held: Held[] = [];
  private readonly deadline: NodeJS.Timeout;

  constructor() {
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    // Fastify's defaults (its own server never listens, so they are set here).
    this.server.keepAliveTimeout = 72_000;
    this.server.requestTimeout = 0;
    this.deadline = setTimeout(() => this.fail(new Error(`rocklet app not built within ${BUILD_DEADLINE_MS} ms`)), BUILD_DEADLINE_MS);
    this.deadline.unref();
  }

  /** Requests and upgrades waiting for the app. */
  get heldCount(): number {
    return this.held.length;
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host, port }, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /**
   * From now on every request goes to `app` (the server Fastify built its handlers on), unless
   * `lane` (the GEM hot path) serves it first.
   */
  attach(app: Server, lane: RequestLane | null = null): void {
    clearTimeout(this.deadline);
    this.app = app;
    this.lane = lane;
    for (const h of this.held.splice(0)) this.forward(h);
  }

  /** The app could not be built: held requests get 503 instead of hanging. */
  fail(error: Error): void {
    for (const h of this.held.splice(0)) {
      if (h.kind === 'upgrade') h.socket.destroy();
      else h.res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: error.message }));
    }
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (this.app) {
      if (!this.lane?.(req, res)) this.app.emit('request', req, res);
    } else if (req.method === 'GET' && (req.url === '/is_alive' || req.url?.startsWith('/is_alive?'))) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': ALIVE_BODY.length }).end(ALIVE_BODY);
    } else this.held.push({ kind: 'request', req, res });
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.app) this.app.emit('upgrade', req, socket, head);
    else this.held.push({ kind: 'upgrade', req, socket, head });
  }

  private forward(h: Held): void {
    if (h.kind === 'request') this.onRequest(h.req, h.res);
    else this.onUpgrade(h.req, h.socket, h.head);
  }
}
