import { BadRequestError, PortForwardQuerySchema, SANDBOX_API_PREFIX, ValidationError, describeIssues } from '@rock/contracts';
import type { RockLogger } from '@rock/observability';
import { resolveRequestId } from '@rock/observability';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer, type WebSocket } from 'ws';
import { failureWithStatus, logFailure, principalFromHeaders, type RawAuth } from '../infra/raw-route-support';
import type { Caller } from '../infra/sandbox-access';
import { isProxyPath, parseProxyTarget } from './proxy-target';
import { forwardedHeaders, type ProxyService } from './proxy.service';

const PORT_FORWARD_PATH = new RegExp(`^${SANDBOX_API_PREFIX.replace(/\//g, '\\/')}\\/sandboxes\\/([^/?#]+)\\/portforward$`);

function refuse(socket: Duplex, error: unknown, route: 'proxy'): void {
  const { status, body } = failureWithStatus(error, route);
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
}

function requestHead(request: IncomingMessage, path: string, port: number): string {
  const headers = forwardedHeaders(request.headers, port, ['upgrade', 'connection']);
  const lines = Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${name}: ${v}`));
  return `${request.method ?? 'GET'} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** Bridges two byte streams both ways; either side closing closes the other. */
function splice(a: Duplex, b: Duplex): void {
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.once('close', () => b.destroy());
  b.once('close', () => a.destroy());
  a.pipe(b).pipe(a);
}

/**
 * WebSocket upgrades of the read service: `WS /sandboxes/{id}/portforward?port=N` bridged to the
 * rocklet's port forward, and upgrades on proxy paths tunnelled raw to the app (API.md §3).
 */
export class UpgradeHandler {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  constructor(
    private readonly proxy: ProxyService,
    private readonly auth: RawAuth,
    private readonly logger: RockLogger,
  ) {}

  handle(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    socket.on('error', () => socket.destroy());
    const caller = (): Caller => ({ principal: principalFromHeaders(request.headers, this.auth), requestId: resolveRequestId(request.headers) });
    const portForward = PORT_FORWARD_PATH.exec(path);
    const work = portForward
      ? this.portForward(request, socket, head, decodeURIComponent(portForward[1] ?? ''), caller)
      : isProxyPath(path)
        ? this.proxyUpgrade(request, socket, head, caller)
        : Promise.reject(new BadRequestError(`no WebSocket route at ${path}`));
    work.catch((error: unknown) => {
      logFailure(this.logger.child({ path }), error, 'upgrade');
      refuse(socket, error, 'proxy');
    });
  }

  private async portForward(request: IncomingMessage, socket: Duplex, head: Buffer, sandboxId: string, caller: () => Caller): Promise<void> {
    const query = Object.fromEntries(new URL(request.url ?? '/', 'http://x').searchParams);
    const parsed = PortForwardQuerySchema.safeParse(query);
    if (!parsed.success) throw new ValidationError(describeIssues(parsed.error.issues));
    const upstream = await this.proxy.portForward(sandboxId, parsed.data.port, caller());
    this.wss.handleUpgrade(request, socket, head, (client: WebSocket) => {
      splice(createWebSocketStream(client), createWebSocketStream(upstream));
    });
  }

  private async proxyUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, caller: () => Caller): Promise<void> {
    const target = parseProxyTarget(request.url ?? '/', request.headers);
    const tunnel = await this.proxy.upgradeTunnel(target, caller());
    tunnel.write(requestHead(request, target.path, target.port));
    if (head.length > 0) tunnel.write(head);
    splice(socket, tunnel);
  }

  close(): void {
    this.wss.close();
  }
}
