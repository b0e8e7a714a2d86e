import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createWebSocketStream, type WebSocket } from 'ws';
import { describeIssues, parseOrThrow, PortForwardQuerySchema, ValidationError } from '@rock/contracts';

/** Connect timeout to the local port. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * WS /portforward?port=N: bytes from the WebSocket go to 127.0.0.1:N and back, with backpressure
 * (ws duplex stream piped both ways). The port is validated before the upgrade (1024–65535, not 22).
 */
export function registerPortForward(app: FastifyInstance): void {
  app.get(
    '/portforward',
    {
      websocket: true,
      preValidation: (req, _reply, done) => {
        const parsed = PortForwardQuerySchema.safeParse(req.query);
        done(parsed.success ? undefined : new ValidationError(describeIssues(parsed.error.issues)));
      },
    },
    (socket: WebSocket, req) => {
      const { port } = parseOrThrow(PortForwardQuerySchema, req.query);
      bridge(socket, port, (msg) => req.log.info({ port }, msg));
    },
  );
}

function bridge(socket: WebSocket, port: number, log: (msg: string) => void): void {
  const tcp = connect({ port, host: '127.0.0.1', timeout: CONNECT_TIMEOUT_MS });
  const ws = createWebSocketStream(socket);
  tcp.once('connect', () => tcp.setTimeout(0));
  tcp.once('timeout', () => tcp.destroy(new Error(`connect to 127.0.0.1:${port} timed out`)));
  tcp.on('error', (err) => {
    log(`portforward tcp error: ${err.message}`);
    if (socket.readyState === socket.OPEN) socket.close(1011, err.message.slice(0, 120));
  });
  ws.on('error', () => tcp.destroy());
  tcp.on('close', () => {
    if (socket.readyState === socket.OPEN) socket.close(1000, 'tcp closed');
  });
  socket.on('close', () => tcp.destroy());
  ws.pipe(tcp).pipe(ws);
}
