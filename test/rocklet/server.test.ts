import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { WebSocket } from 'ws';
import { ensureRockletBuilt, processAlive, startRocklet, waitUntil } from '@rock/testing';
import { rockletForSuite } from './rocklet-suite';

type RockletErr = { rockletexception: { message: string; class_path: string } };

const PROTECTED: Array<[string, string]> = [
  ['GET', '/get_statistics'],
  ['POST', '/create_session'],
  ['POST', '/run_in_session'],
  ['POST', '/close_session'],
  ['POST', '/execute'],
  ['POST', '/read_file'],
  ['POST', '/write_file'],
  ['POST', '/upload'],
  ['GET', '/download?path=/etc/hostname'],
  ['POST', '/close'],
  ['GET', '/portforward?port=8080'],
];

function runRocklet(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [ensureRockletBuilt(), ...args], { env, timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

describe('rocklet server', () => {
  const rocklet = rockletForSuite();

  it('answers /is_alive without a token', async () => {
    const res = await rocklet.request('/is_alive', { auth: false });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ is_alive: true, message: '' });
  });

  it.each(PROTECTED)('answers 401 on %s %s without the token and with a wrong one', async (method, path) => {
    const body = method === 'POST' ? '{}' : undefined;
    const headers = method === 'POST' ? { 'content-type': 'application/json' } : undefined;
    const none = await rocklet.request(path, { method, body, headers, auth: false });
    expect(none.status).toBe(401);
    const wrong = await rocklet.request(path, { method, body, headers: { ...headers, authorization: `Bearer ${rocklet.token}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ detail: 'missing or invalid bearer token' });
  });

  it('echoes X-Request-Id or eagleeye-traceid, generates one otherwise, and logs it', async () => {
    const a = await rocklet.request('/is_alive', { headers: { 'x-request-id': 'trace-abc' } });
    expect(a.headers.get('x-request-id')).toBe('trace-abc');
    const b = await rocklet.request('/is_alive', { headers: { 'eagleeye-traceid': 'eagle-1' } });
    expect(b.headers.get('x-request-id')).toBe('eagle-1');
    const c = await rocklet.request('/is_alive');
    expect(c.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await waitUntil(() => /"reqId":"trace-abc"[^\n]*"status":200/.test(rocklet.logs()), 2000)).toBe(true);
  });

  it('returns statistics as numbers', async () => {
    const res = await rocklet.request('/get_statistics');
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['cpu', 'disk', 'mem', 'net']);
    for (const key of ['cpu', 'mem', 'disk']) {
      expect(typeof body[key]).toBe('number');
      expect(body[key]).toBeGreaterThanOrEqual(0);
      expect(body[key]).toBeLessThanOrEqual(100);
    }
    expect(body.mem).toBeGreaterThan(0);
    expect(body.disk).toBeGreaterThan(0);
    expect(typeof body.net).toBe('number');
  });

  it('answers malformed JSON with a rocklet error and keeps serving', async () => {
    const res = await rocklet.request('/execute', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(511);
    expect(((await res.json()) as RockletErr).rockletexception.class_path).toBe('rocklet.InvalidParameter');
    expect((await rocklet.request('/is_alive')).status).toBe(200);
  });

  describe('portforward', () => {
    let echo: Server;
    let echoPort: number;
    beforeAll(async () => {
      echo = createServer((sock) => sock.pipe(sock));
      await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
      echoPort = (echo.address() as { port: number }).port;
    });
    afterAll(async () => {
      await new Promise((r) => echo.close(r));
    });

    it('carries raw TCP bytes both ways over a WebSocket', async () => {
      const ws = new WebSocket(`${rocklet.url.replace('http', 'ws')}/portforward?port=${echoPort}`, {
        headers: { authorization: `Bearer ${rocklet.token}` },
      });
      const payload = Buffer.concat([Buffer.from([0, 1, 2, 255]), Buffer.alloc(200_000, 7)]);
      const received: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no echo within 10 s')), 10_000);
        ws.on('open', () => ws.send(payload));
        ws.on('message', (data: Buffer) => {
          received.push(data);
          if (Buffer.concat(received).length >= payload.length) {
            clearTimeout(timer);
            resolve();
          }
        });
        ws.on('error', reject);
      });
      expect(Buffer.concat(received).equals(payload)).toBe(true);
      ws.close();
    });

    it('closes the WebSocket with a reason when nothing listens on the port', async () => {
      const closed = createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const freePort = (closed.address() as { port: number }).port;
      await new Promise((r) => closed.close(r));
      const ws = new WebSocket(`${rocklet.url.replace('http', 'ws')}/portforward?port=${freePort}`, {
        headers: { authorization: `Bearer ${rocklet.token}` },
      });
      const [code, reason] = await new Promise<[number, string]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no close within 10 s')), 10_000);
        ws.on('close', (c: number, r: Buffer) => {
          clearTimeout(timer);
          resolve([c, r.toString()]);
        });
      });
      expect(code).toBe(1011);
      expect(reason).toMatch(/ECONNREFUSED/);
    });

    it('refuses port 22 and out-of-range ports before upgrading', async () => {
      for (const port of ['22', '80', '70000', 'abc']) {
        const res = await rocklet.request(`/portforward?port=${port}`);
        expect(res.status).toBe(511);
        expect(((await res.json()) as RockletErr).rockletexception.message).toMatch(/^port: /);
      }
    });
  });

  it('treats an empty JSON body as {}', async () => {
    const res = await rocklet.request('/close', { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ closed_sessions: 0 });
  });

  it('POST /close closes every session', async () => {
    await rocklet.post('/create_session', { session: 'c1' });
    await rocklet.post('/create_session', { session: 'c2' });
    expect((await rocklet.post('/close', {})).body).toEqual({ closed_sessions: 2 });
    const res = await rocklet.post<RockletErr>('/run_in_session', { session: 'c1', command: 'echo' });
    expect(res.body.rockletexception.class_path).toBe('rocklet.SessionNotFound');
  });
});

describe('rocklet process', () => {
  it('prints usage for --help and refuses to start without a token', async () => {
    const help = await runRocklet(['--help'], { PATH: process.env.PATH ?? '' });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: rocklet/);
    const noToken = await runRocklet(['--port', '0'], { PATH: process.env.PATH ?? '' });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/ROCKLET_TOKEN: required unless --no-auth is given/);
  });

  it('runs without auth only when --no-auth is given', async () => {
    const open = await startRocklet({ token: null });
    try {
      expect((await open.request('/get_statistics')).status).toBe(200);
    } finally {
      await open.stop();
    }
  });

  it('on SIGTERM kills session shells and their jobs, then exits', async () => {
    const rocklet = await startRocklet();
    await rocklet.post('/create_session', { session: 'victim' });
    const res = await rocklet.post<{ output: string }>('/run_in_session', { session: 'victim', command: 'sleep 300 & echo $!' });
    const jobPid = Number(res.body.output.split('\n').pop());
    expect(processAlive(jobPid)).toBe(true);
    await rocklet.stop();
    expect(rocklet.child.exitCode ?? rocklet.child.signalCode).toBe(0);
    expect(await waitUntil(() => !processAlive(jobPid), 3000)).toBe(true);
  });
});
