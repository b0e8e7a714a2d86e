import { RockletCallError } from '@rock/contracts';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocket } from 'ws';
import type { RockletTarget } from '../rocklet/rocklet.client';

/** Budget for the rocklet's WebSocket handshake. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

function portForwardUrl(target: RockletTarget, port: number): string {
  return `${target.url.replace(/^http/, 'ws')}/portforward?port=${port}`;
}

/** A WebSocket to the rocklet's `/portforward?port=N` (raw TCP to 127.0.0.1:N inside the sandbox). */
export function connectPortForward(target: RockletTarget, port: number): WebSocket {
  const headers: Record<string, string> = { 'x-request-id': target.requestId };
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  return new WebSocket(portForwardUrl(target, port), { headers, handshakeTimeout: HANDSHAKE_TIMEOUT_MS, perMessageDeflate: false });
}

/** Resolves once the rocklet accepted the WebSocket; rejects with a RockletCallError otherwise. */
export function whenOpen(socket: WebSocket, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => {
      cleanup();
      socket.terminate();
      reject(new RockletCallError('portforward', `cannot reach port ${port} in the sandbox: ${reason}`));
    };
    const onOpen = (): void => {
      cleanup();
      resolve();
    };
    const onError = (error: Error): void => fail(error.message);
    const onUnexpected = (_req: unknown, res: { statusCode?: number }): void => fail(`rocklet answered HTTP ${res.statusCode ?? 0}`);
    function cleanup(): void {
      socket.off('open', onOpen);
      socket.off('error', onError);
      socket.off('unexpected-response', onUnexpected);
    }
    socket.once('open', onOpen);
    socket.once('error', onError);
    socket.once('unexpected-response', onUnexpected);
  });
}

/**
 * A byte stream to port `port` inside the sandbox, tunnelled through the rocklet's port forward
 * (the only port the control plane may reach, ARCHITECTURE §5). Open before resolving.
 */
export async function openTunnel(target: RockletTarget, port: number): Promise<Duplex> {
  const socket = connectPortForward(target, port);
  await whenOpen(socket, port);
  const stream = createWebSocketStream(socket);
  stream.on('error', () => socket.terminate());
  return stream;
}
