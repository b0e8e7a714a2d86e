/**
 * The GEM hot path of a real rocklet process: authenticated JSON `POST /env/step|reset` with a
 * known body length is answered by EnvFastLane (node:http, before Fastify); the same request sent
 * chunked goes through the Fastify routes. Both must give byte-identical answers — statuses, bodies,
 * headers, errors — and the lane must leave to Fastify what it does not serve (auth failures,
 * oversized and non-JSON bodies). Access lines: debug for successes, info (with reqId) for failures.
 */
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { startRocklet, waitUntil, type RockletProcess } from '@rock/testing';

jest.setTimeout(60_000);

const GEM_DATA_DIR = resolve(__dirname, '..', '..', '..', 'shared', 'gem-data');

interface RawAnswer {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

let rocklet: RockletProcess;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  rocklet = await startRocklet({ env: { ROCK_GEM_DATA_DIR: GEM_DATA_DIR, ROCKLET_MAX_ENV_BODY_BYTES: '2048' } });
});

afterAll(async () => {
  agent.destroy();
  await rocklet?.stop();
});

/** POSTs `payload`: with content-length (the lane) or chunked in two writes (Fastify). */
function send(path: string, payload: string, options: { chunked?: boolean; headers?: Record<string, string> } = {}): Promise<RawAnswer> {
  return new Promise((done, fail) => {
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      authorization: `Bearer ${rocklet.token}`,
      ...(options.chunked ? {} : { 'content-length': Buffer.byteLength(payload) }),
      ...options.headers,
    };
    const req = request({ host: '127.0.0.1', port: rocklet.port, path, method: 'POST', agent, headers, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer within 30 s`)));
    req.on('error', fail);
    const half = Math.floor(payload.length / 2);
    if (options.chunked) req.write(payload.slice(0, half));
    req.end(options.chunked ? payload.slice(half) : payload);
  });
}

const comparable = (a: RawAnswer) => ({ status: a.status, text: a.text, type: a.headers['content-type'] });

/** Sends the same call both ways on two identically seeded envs; returns the lane's answer. */
async function sameBothWays(path: string, payload: string): Promise<RawAnswer> {
  const lane = await send(path, payload);
  const framework = await send(path, payload, { chunked: true });
  expect(framework.headers['transfer-encoding']).toBeUndefined();
  expect(comparable(lane)).toEqual(comparable(framework));
  return lane;
}

describe('EnvFastLane on a real rocklet', () => {
  it('answers 404 before any make exactly as the Fastify route does', async () => {
    const answer = await sameBothWays('/env/step', '{"action":"\\\\boxed{up}"}');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toEqual({ detail: 'no env in this sandbox: call /env/make first' });
  });

  it('plays reset and step identically through the lane and through Fastify', async () => {
    expect((await send('/env/make', '{"env_id":"game:Game2048-v0-easy"}')).status).toBe(200);
    const actions = ['up', 'left', 'down', 'right', 'up'].map((a) => JSON.stringify({ action: `\\boxed{${a}}` }));
    // One env per rocklet: the same seed puts both episodes in the same state.
    const episode = async (chunked: boolean) => {
      const answers = [await send('/env/reset', '{"seed":11}', { chunked })];
      for (const action of actions) answers.push(await send('/env/step', action, { chunked }));
      return answers.map(comparable);
    };
    const lane = await episode(false);
    expect(lane).toEqual(await episode(true));
    expect(lane.every((a) => a.status === 200)).toBe(true);
    expect(JSON.parse(lane[1].text)).toMatchObject({ observation: 'At turn 1, you moved up', terminated: false, truncated: false });
  });

  it('maps bad bodies to the same 400 errors as the Fastify routes', async () => {
    const cases: Array<[string, string, string | RegExp]> = [
      ['/env/step', '{"action": 5}', 'action: must be a string (got number)'],
      ['/env/step', '[1,2]', 'body: must be a JSON object'],
      ['/env/step', '{"action": ', /^body: Body is not valid JSON/],
      ['/env/step', '{"__proto__": {"x": 1}, "action": "a"}', /^body: Body is not valid JSON/],
      ['/env/step', '   ', 'action: must be a string (got undefined)'],
      ['/env/reset', '{"seed": -3}', 'seed: must be an integer between 0 and 2**32 - 1 (got -3)'],
    ];
    for (const [path, payload, detail] of cases) {
      const answer = await sameBothWays(path, payload);
      expect(answer.status).toBe(400);
      expect((JSON.parse(answer.text) as { detail: string }).detail).toMatch(detail);
    }
  });

  it('leaves auth failures, oversized and non-JSON bodies to Fastify', async () => {
    const wrongToken = await send('/env/step', '{"action":"x"}', { headers: { authorization: 'Bearer nope' } });
    expect([wrongToken.status, JSON.parse(wrongToken.text)]).toEqual([401, { detail: 'missing or invalid bearer token' }]);
    const big = await send('/env/step', JSON.stringify({ action: 'x'.repeat(4096) }));
    expect(big.status).toBe(413);
    expect((JSON.parse(big.text) as { detail: string }).detail).toMatch(/^body: /);
    const text = await send('/env/step', 'action', { headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(400);
    expect(JSON.parse(text.text)).toEqual({ detail: 'body: must be a JSON object' });
    // The process still plays after all of that.
    expect((await send('/env/step', '{"action":"\\\\boxed{up}"}')).status).toBe(200);
  });

  it('serves through the lane (marked in the access line), echoes x-request-id, logs failures at info and successes not at info', async () => {
    const ok = await send('/env/step', '{"action":"\\\\boxed{up}"}', { headers: { 'x-request-id': 'lane-ok-7f3a' } });
    expect(ok.headers['x-request-id']).toBe('lane-ok-7f3a');
    const bad = await send('/env/step', '{"action":1}', { headers: { 'x-request-id': 'lane-bad-7f3a' } });
    expect(bad.headers['x-request-id']).toBe('lane-bad-7f3a');
    expect(await waitUntil(() => rocklet.logs().includes('lane-bad-7f3a'), 5_000)).toBe(true);
    const lineOf = (id: string) => JSON.parse(rocklet.logs().split('\n').find((l) => l.includes(id)) ?? '{}') as Record<string, unknown>;
    expect(lineOf('lane-bad-7f3a')).toMatchObject({ level: 30, reqId: 'lane-bad-7f3a', url: '/env/step', status: 400, lane: 'fast', msg: 'request' });
    expect(rocklet.logs()).not.toContain('lane-ok-7f3a');
    // The same failure sent chunked is served (and logged) by Fastify, without the lane mark.
    await send('/env/step', '{"action":1}', { chunked: true, headers: { 'x-request-id': 'framework-bad-7f3a' } });
    expect(await waitUntil(() => rocklet.logs().includes('framework-bad-7f3a'), 5_000)).toBe(true);
    expect(lineOf('framework-bad-7f3a')).toMatchObject({ level: 30, reqId: 'framework-bad-7f3a', status: 400, msg: 'request' });
    expect(lineOf('framework-bad-7f3a').lane).toBeUndefined();
  });

  it('keeps serving after clients hang up in the middle of a step body', async () => {
    for (let i = 0; i < 3; i += 1) {
      const socket = connect(rocklet.port, '127.0.0.1');
      await new Promise<void>((ready, fail) => socket.once('connect', ready).once('error', fail));
      const head = `POST /env/step HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${rocklet.token}\r\n`;
      // The first chunk reaches the lane (which waits for the rest), then the client is gone.
      await new Promise<void>((written) => socket.write(`${head}Content-Length: 100\r\n\r\n{"action":`, () => written()));
      socket.destroy();
    }
    expect((await send('/env/step', '{"action":"\\\\boxed{up}"}')).status).toBe(200);
    expect(rocklet.child.exitCode).toBeNull();
  });
});

