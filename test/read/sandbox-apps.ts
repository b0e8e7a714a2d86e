/** Tiny servers playing "an app inside the sandbox" for the proxy and port-forward tests. */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { WebSocketServer } from 'ws';

export interface SandboxApp {
  port: number;
  /** Releases the second SSE event (proves events stream before the response ends). */
  releaseSecondEvent(): void;
  close(): Promise<void>;
}

/**
 * HTTP on 127.0.0.1: `GET /hello` echoes what it received as JSON, `POST /echo` echoes the body,
 * `GET /sse` sends one event, then a second once released; WebSocket upgrades echo messages.
 */
export async function startSandboxApp(): Promise<SandboxApp> {
  let release: () => void = () => undefined;
  const server: Server = createHttpServer((req, res) => {
    if (req.url?.startsWith('/sse')) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: first\n\n');
      release = () => res.end('data: second\n\n');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json', 'x-app': 'yes' });
      res.end(JSON.stringify({ method: req.method, url: req.url, host: req.headers.host, apiKey: req.headers['x-api-key'] ?? null, body }));
    });
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => socket.on('message', (data, binary) => socket.send(binary ? data : `echo:${String(data)}`)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    releaseSecondEvent: () => release(),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP echo server on 127.0.0.1 (port-forward target). */
export async function startEchoServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server: TcpServer = createTcpServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
