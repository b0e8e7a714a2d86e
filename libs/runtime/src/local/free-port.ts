import { createServer } from 'node:net';

/** Ports handed out by this process and not yet released, so concurrent creates never share one. */
const reserved = new Set<number>();

/** A TCP port the OS just handed out on `host`, closed again so a child process can bind it. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A TCP port that is free on `host` right now and not reserved by this process. The caller
 * releases it with {@link releasePort} once its process has bound it (or failed).
 */
export async function reservePort(host: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freePort(host);
    if (port > 0 && !reserved.has(port)) {
      reserved.add(port);
      return port;
    }
  }
  throw new Error(`no free TCP port found on ${host}`);
}

/** Returns a port taken with {@link reservePort}. */
export function releasePort(port: number): void {
  reserved.delete(port);
}
