import { request } from 'node:http';

/**
 * One `GET /is_alive` against rocklet. Resolves true only for HTTP 200 with `is_alive: true`;
 * refused connections, resets, other answers and the per-attempt timeout all resolve false.
 */
export function probeRocklet(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const req = request({ host: address, port, path: '/is_alive', method: 'GET', agent: false, timeout: timeoutMs });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(res.statusCode === 200 && isAliveBody(body)));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function isAliveBody(body: string): boolean {
  try {
    return (JSON.parse(body) as { is_alive?: unknown }).is_alive === true;
  } catch {
    return false;
  }
}
