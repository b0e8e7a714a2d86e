import { Inject, Injectable } from '@nestjs/common';
import { RockletCallError } from '@rock/contracts';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import { SandboxAccess, type Caller } from '../infra/sandbox-access';
import type { ProxyTarget } from './proxy-target';
import { connectPortForward, openTunnel, whenOpen } from './rocklet-tunnel';

/** Until the app sends its response head (after that, streams like SSE run as long as the client stays). */
const RESPONSE_HEAD_TIMEOUT_MS = 60_000;

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding',
  'upgrade', 'host', 'x-rock-target-port', 'x-api-key',
]);

/** Request headers for the app: hop-by-hop and ROCK's own removed, `Host` naming the target port. */
export function forwardedHeaders(headers: IncomingHttpHeaders, port: number, keep: readonly string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || (HOP_BY_HOP.has(name) && !keep.includes(name))) continue;
    out[name] = value;
  }
  out.host = `127.0.0.1:${port}`;
  return out;
}

/** Response headers for the client (hop-by-hop removed). */
export function returnedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/**
 * The HTTP reverse proxy and port forward into a sandbox (API.md §3). Every byte goes through the
 * rocklet's `/portforward` tunnel, so only the rocklet port needs to be reachable.
 */
@Injectable()
export class ProxyService {
  constructor(@Inject(SandboxAccess) private readonly access: SandboxAccess) {}

  /** Sends one HTTP request through the tunnel; resolves with the app's streaming response. */
  async forward(target: ProxyTarget, method: string, headers: IncomingHttpHeaders, body: Readable | null, caller: Caller): Promise<IncomingMessage> {
    const { target: rocklet } = await this.access.running(target.sandboxId, caller, 'proxy to it');
    const tunnel = await openTunnel(rocklet, target.port);
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest({
        method, path: target.path, headers: forwardedHeaders(headers, target.port), createConnection: () => tunnel as never,
      });
      const timer = setTimeout(() => outgoing.destroy(new Error(`no response head within ${RESPONSE_HEAD_TIMEOUT_MS} ms`)), RESPONSE_HEAD_TIMEOUT_MS);
      outgoing.once('response', (response) => {
        clearTimeout(timer);
        response.once('close', () => tunnel.destroy());
        resolve(response);
      });
      outgoing.once('error', (error) => {
        clearTimeout(timer);
        tunnel.destroy();
        reject(new RockletCallError('proxy', `proxy to port ${target.port} failed: ${error.message}`, { cause: error }));
      });
      if (body) body.pipe(outgoing);
      else outgoing.end();
    });
  }

  /** A byte stream to the app for a WebSocket upgrade (the caller writes the request head). */
  async upgradeTunnel(target: ProxyTarget, caller: Caller): Promise<Duplex> {
    const { target: rocklet } = await this.access.running(target.sandboxId, caller, 'proxy to it');
    return openTunnel(rocklet, target.port);
  }

  /** An open WebSocket to the rocklet's port forward of `port`. */
  async portForward(sandboxId: string, port: number, caller: Caller): Promise<WebSocket> {
    const { target } = await this.access.running(sandboxId, caller, 'forward a port to it');
    const socket = connectPortForward(target, port);
    await whenOpen(socket, port);
    return socket;
  }
}
