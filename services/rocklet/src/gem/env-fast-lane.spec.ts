import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { EnvFastLane } from './env-fast-lane';
import { GemEnvService } from './gem-env.service';

interface Written {
  status: number;
  headers: Record<string, string | number>;
  body: string;
}

function fakeRequest(method: string, url: string, headers: Record<string, string>, body: string): IncomingMessage {
  return Object.assign(Readable.from(body === '' ? [] : [Buffer.from(body)]), { method, url, headers }) as unknown as IncomingMessage;
}

function fakeResponse(): { res: ServerResponse; written: Promise<Written> } {
  let done: (w: Written) => void = () => undefined;
  const written = new Promise<Written>((resolve) => (done = resolve));
  const state = { status: 0, headers: {} as Record<string, string | number> };
  const res = {
    writeHead(status: number, headers: Record<string, string | number>) {
      Object.assign(state, { status, headers });
      return res;
    },
    end(body: string) {
      done({ ...state, body });
    },
  };
  return { res: res as unknown as ServerResponse, written };
}

const logged: Array<{ level: string; line: Record<string, unknown> }> = [];
const log = {
  debug: (line: Record<string, unknown>) => logged.push({ level: 'debug', line }),
  info: (line: Record<string, unknown>) => logged.push({ level: 'info', line }),
  error: (line: Record<string, unknown>) => logged.push({ level: 'error', line }),
} as unknown as FastifyBaseLogger;

const env = new GemEnvService(null);
const lane = new EnvFastLane({
  env,
  authorized: (authorization) => authorization === 'Bearer good',
  requestIdOf: (req) => String(req.headers['x-request-id'] ?? 'generated'),
  parseJson: (text) => (text.trim() === '' ? {} : (JSON.parse(text) as unknown)),
  bodyLimit: 64,
  log,
});

const JSON_AUTH = { 'content-type': 'application/json', authorization: 'Bearer good' };

function offer(method: string, url: string, headers: Record<string, string>, body = '{"action":"x"}') {
  const { res, written } = fakeResponse();
  const taken = lane.take(fakeRequest(method, url, { 'content-length': String(Buffer.byteLength(body)), ...headers }, body), res);
  return { taken, written };
}

describe('EnvFastLane.take', () => {
  it('leaves to Fastify what it does not serve exactly like the routes', () => {
    expect(offer('GET', '/env/step', JSON_AUTH).taken).toBe(false);
    expect(offer('POST', '/env/make', JSON_AUTH).taken).toBe(false);
    expect(offer('POST', '/env/step?x=1', JSON_AUTH).taken).toBe(false);
    expect(offer('POST', '/env/step', { ...JSON_AUTH, 'transfer-encoding': 'chunked' }).taken).toBe(false);
    expect(offer('POST', '/env/step', { ...JSON_AUTH, 'content-length': '0' }, '').taken).toBe(false);
    expect(offer('POST', '/env/step', JSON_AUTH, `{"action":"${'x'.repeat(64)}"}`).taken).toBe(false);
    expect(offer('POST', '/env/step', { ...JSON_AUTH, 'content-type': 'text/plain' }).taken).toBe(false);
    expect(offer('POST', '/env/step', { ...JSON_AUTH, 'content-type': 'application/jsonx' }).taken).toBe(false);
    expect(offer('POST', '/env/step', { ...JSON_AUTH, authorization: 'Bearer bad' }).taken).toBe(false);
    expect(offer('POST', '/env/step', { 'content-type': 'application/json' }).taken).toBe(false);
  });

  it('serves step and reset with a JSON content type (parameters and case ignored)', async () => {
    for (const type of ['application/json', 'Application/JSON; charset=utf-8']) {
      const { taken, written } = offer('POST', '/env/step', { ...JSON_AUTH, 'content-type': type, 'x-request-id': 'r1' });
      expect(taken).toBe(true);
      const answer = await written;
      expect(answer).toEqual({
        status: 404,
        headers: { 'x-request-id': 'r1', 'content-type': 'application/json; charset=utf-8', 'content-length': answer.body.length },
        body: '{"detail":"no env in this sandbox: call /env/make first"}',
      });
    }
    expect(await offer('POST', '/env/reset', JSON_AUTH, '{"seed":1}').written).toMatchObject({ status: 404 });
  });

  it('answers bad bodies with the field and the rule, and logs failures at info with the request id', async () => {
    logged.length = 0;
    const answer = await offer('POST', '/env/step', { ...JSON_AUTH, 'x-request-id': 'bad-1' }, '{"action":[1]}').written;
    expect(answer).toMatchObject({ status: 400, body: '{"detail":"action: must be a string (got object)"}' });
    expect(logged).toEqual([{ level: 'info', line: expect.objectContaining({ reqId: 'bad-1', status: 400, url: '/env/step', lane: 'fast' }) }]);
  });

  it('plays a made env and logs successes at debug only', async () => {
    await env.make({ env_id: 'game:GuessTheNumber-v0-easy', kwargs: {}, seed: undefined });
    logged.length = 0;
    const reset = await offer('POST', '/env/reset', JSON_AUTH, '{"seed":7}').written;
    expect(reset.status).toBe(200);
    expect(JSON.parse(reset.body)).toEqual({ observation: expect.stringContaining('Guess The Number'), info: expect.any(Object) });
    const step = await offer('POST', '/env/step', JSON_AUTH, '{"action":"\\\\boxed{3}"}').written;
    expect(JSON.parse(step.body)).toMatchObject({ reward: expect.any(Number), terminated: expect.any(Boolean), truncated: false });
    expect(logged.map((l) => [l.level, l.line.status])).toEqual([['debug', 200], ['debug', 200]]);
  });
});
