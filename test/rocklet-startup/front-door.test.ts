/**
 * Rocklet start-up: the socket is opened before the app graph loads (RockletFrontDoor). /is_alive
 * answers at once; anything else is held unread and then served by the real app, never dropped.
 */
import { spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { RockletFrontDoor } from '../../services/rocklet/src/front-door';
import { ensureRockletBuilt } from '@rock/testing';

jest.setTimeout(60_000);

interface Answer {
  status: number;
  body: string;
}

function call(port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, timeout: 30_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls `cond` every 5 ms until true (deadline 10 s). */
async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('RockletFrontDoor', () => {
  let door: RockletFrontDoor;
  let port: number;
  const app: Server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (d: string) => (text += d));
    req.on('end', () => res.end(`app saw ${req.method} ${req.url} ${text}`));
  });

  beforeEach(async () => {
    door = new RockletFrontDoor();
    port = await door.listen('127.0.0.1', 0);
  });

  afterEach(async () => {
    door.server.closeAllConnections();
    await new Promise((r) => door.server.close(r));
  });

  it('answers /is_alive before the app exists', async () => {
    expect(await call(port, 'GET', '/is_alive')).toEqual({ status: 200, body: '{"is_alive":true,"message":""}' });
  });

  it('holds other requests, body included, until the app is attached, then the app answers them', async () => {
    const early = call(port, 'POST', '/env/make', '{"env_id":"x"}', { 'content-type': 'application/json' });
    await until(() => door.heldCount === 1);
    door.attach(app);
    expect(await early).toEqual({ status: 200, body: 'app saw POST /env/make {"env_id":"x"}' });
    expect(await call(port, 'GET', '/is_alive')).toEqual({ status: 200, body: 'app saw GET /is_alive ' });
  });

  it('answers held requests 503 with the reason when the app cannot be built', async () => {
    const early = call(port, 'POST', '/close');
    await until(() => door.heldCount === 1);
    door.fail(new Error('boom'));
    expect(await early).toEqual({ status: 503, body: '{"detail":"boom"}' });
  });
});

describe('a real rocklet process during start-up', () => {
  it('serves an authenticated request sent as soon as the port accepts, with the app answer', async () => {
    const entry = ensureRockletBuilt();
    const probe = createServer();
    const port = await new Promise<number>((resolve) =>
      probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)),
    );
    await new Promise((r) => probe.close(r));
    const child = spawn(process.execPath, [entry, '--host', '127.0.0.1', '--port', String(port)], {
      env: { ...process.env, ROCKLET_TOKEN: 'startup-test' },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      let answer: Answer | null = null;
      const deadline = Date.now() + 30_000;
      while (!answer && Date.now() < deadline) {
        answer = await call(port, 'POST', '/close', '', { authorization: 'Bearer startup-test' }).catch(() => null);
        if (!answer) await new Promise((r) => setTimeout(r, 2));
      }
      expect(answer).toEqual({ status: 200, body: '{"closed_sessions":0}' });
      const unauth = await call(port, 'POST', '/close');
      expect(unauth.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
