/**
 * The read service's hot routes (plain Fastify routes, rocklet bytes passed on, coalesced idle
 * touches) against a real read replica from dist/, real Redis (unique prefix) and a real rocklet.
 */
import type { SandboxRegistry } from '@rock/registry';
import type { RockletProcess } from '@rock/testing';
import { randomBytes } from 'node:crypto';
import { API, registerSandbox, startReadReplica, startReadTestBed, stopReadTestBed, uniquePrefix, type ReadReplica } from './read-harness';

jest.setTimeout(120_000);

const GEM = '/apis/v1/envs/gem';
const prefix = uniquePrefix('hot');
const id = `hot-${randomBytes(4).toString('hex')}`;
let registry: SandboxRegistry;
let rocklet: RockletProcess;
let replica: ReadReplica;

beforeAll(async () => {
  ({ registry, rocklet } = await startReadTestBed(prefix, { id, env: { FROM_CREATE: 'yes' } }));
  replica = await startReadReplica(prefix);
});

afterAll(() => stopReadTestBed(prefix, { registry, rocklet }, [replica]));

/** POST with a raw body; the answer's status, headers and text. */
async function raw(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${replica.url}${path}`, {
    method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('hot routes', () => {
  it('execute answers the envelope as compact JSON with the rocklet result, echoing the request id', async () => {
    const answer = await raw(`${API}/execute`, JSON.stringify({ sandbox_id: id, command: 'echo "$FROM_CREATE"', shell: true }), {
      'x-request-id': 'hot-trace-1',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('x-request-id')).toBe('hot-trace-1');
    expect(answer.text.startsWith('{"status":"Success","message":null,"error":null,"result":{')).toBe(true);
    const parsed = JSON.parse(answer.text);
    expect(parsed.result).toMatchObject({ stdout: 'yes\n', stderr: '', exit_code: 0 });
    expect(answer.text).toBe(JSON.stringify(parsed));
  });

  it('forwards the request id to the rocklet (its log line of a failed call carries it)', async () => {
    const traceId = `hot-trace-${randomBytes(4).toString('hex')}`;
    const missing = await raw(`${API}/run_in_session`, JSON.stringify({ sandbox_id: id, session: 'no-such', command: 'true' }), { 'x-request-id': traceId });
    expect(JSON.parse(missing.text)).toMatchObject({ status: 'Failed', result: { code: 4000 } });
    const deadline = Date.now() + 5_000;
    while (!rocklet.logs().includes(traceId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(rocklet.logs()).toContain(`"${traceId}"`);
  });

  it('sessions work end to end, and a missing session is 4000 with the route message', async () => {
    const created = await replica.post(`${API}/create_session`, { sandbox_id: id, session: 'hot' });
    expect(created.body).toMatchObject({ status: 'Success' });
    const ran = await replica.post(`${API}/run_in_session`, { sandbox_id: id, session: 'hot', command: 'X=41; echo $((X+1))' });
    expect(ran.body).toMatchObject({ status: 'Success', result: { output: '42', exit_code: 0 } });
    const failed = await replica.post(`${API}/run_in_session`, { sandbox_id: id, session: 'hot', command: 'exit_code_3() { return 3; }; exit_code_3' });
    expect(failed.body).toMatchObject({ status: 'Failed', message: 'run in session failed', result: { code: 6000, exit_code: 3 } });
    const missing = await replica.post(`${API}/run_in_session`, { sandbox_id: id, session: 'nope', command: 'true' });
    expect(missing.body).toMatchObject({ status: 'Failed', message: 'run in session failed', result: { code: 4000 } });
    expect((await replica.post(`${API}/close_session`, { sandbox_id: id, session: 'hot' })).body).toMatchObject({ status: 'Success' });
  });

  it('bad bodies name the field, or say the body is not JSON; GEM routes answer {detail} with 400', async () => {
    const wrongType = await replica.post(`${API}/execute`, { sandbox_id: id, command: 5, timeout: -1 });
    expect(wrongType.status).toBe(200);
    expect(wrongType.body).toMatchObject({ status: 'Failed', message: 'invalid parameter', result: null });
    expect(wrongType.body.error).toMatch(/command: .*; timeout: /);
    const notJson = await raw(`${API}/execute`, '{"sandbox_id":');
    expect(notJson.status).toBe(200);
    expect(JSON.parse(notJson.text)).toMatchObject({ status: 'Failed', message: 'invalid parameter', error: expect.stringContaining('(body)') });
    const withStatus = await raw(`${API}/run_in_session`, '{}', { 'x-rock-http-status': 'true' });
    expect(withStatus.status).toBe(400);
    expect(JSON.parse(withStatus.text).error).toContain('sandbox_id: is required');
    const gemBad = await replica.post(`${GEM}/step`, { sandbox_id: id });
    expect(gemBad.status).toBe(400);
    expect(gemBad.body).toEqual({ detail: 'action: is required' });
    const gemNotJson = await raw(`${GEM}/step`, 'nope');
    expect(gemNotJson.status).toBe(400);
    expect(JSON.parse(gemNotJson.text)).toEqual({ detail: expect.stringContaining('(body)') });
    expect((await replica.post(`${GEM}/step`, { sandbox_id: `${id}-missing`, action: 'x' })).body).toEqual({ detail: `Sandbox ${id}-missing not found` });
  });

  it('lists the hot routes in /docs and measures them by route, outcome and rocklet operation', async () => {
    const docs = (await replica.get<{ paths: Record<string, Record<string, unknown>> }>('/docs-json')).body;
    for (const path of [`${API}/execute`, `${API}/run_in_session`, `${API}/create_session`, `${API}/close_session`, `${GEM}/step`, `${GEM}/reset`, `${GEM}/list`]) {
      expect(docs.paths[path]).toHaveProperty('post');
    }
    const metrics = String((await fetch(`${replica.url}/metrics`).then((r) => r.text())));
    expect(metrics).toMatch(new RegExp(`rock_http_request_duration_seconds_count\\{[^}]*route="${API}/execute"[^}]*outcome="success"[^}]*\\} [1-9]`));
    expect(metrics).toMatch(new RegExp(`rock_http_request_duration_seconds_count\\{[^}]*route="${API}/run_in_session"[^}]*outcome="failed"[^}]*\\} [1-9]`));
    expect(metrics).toMatch(/rock_rocklet_call_duration_seconds_count\{[^}]*operation="execute"[^}]*outcome="success"[^}]*\} [1-9]/);
  });
});

describe('coalesced idle touches', () => {
  it('touchMany slides live deadlines only forward and skips sandboxes that are not live', async () => {
    const stopped = `${id}-stopped`;
    await registerSandbox(registry, { id: stopped, rockletUrl: null, token: null, running: false });
    await registry.transition(stopped, 'pending', 'stopped', 'stop');
    const later = Date.now() + 3_600_000;
    expect(await registry.touchMany([{ id, deadlineMs: later }, { id: stopped, deadlineMs: later }, { id: `${id}-none`, deadlineMs: later }])).toBe(1);
    expect(Number(await registry['redis'].zscore(registry.keys.expiry, id))).toBe(later);
    expect(Date.parse((await registry.get(id))!.auto_stop_time!)).toBe(later);
    expect(await registry.touchMany([{ id, deadlineMs: later - 60_000 }])).toBe(1);
    expect(Number(await registry['redis'].zscore(registry.keys.expiry, id))).toBe(later);
    expect(await registry['redis'].zscore(registry.keys.expiry, stopped)).toBeNull();
    expect(await registry.touchMany([])).toBe(0);
  });

  it('a burst of calls writes the deadline of the last call within a second or so', async () => {
    const record = (await registry.get(id))!;
    await registry['redis'].zadd(registry.keys.expiry, Date.now(), id);
    let lastCall = 0;
    for (let i = 0; i < 20; i += 1) {
      expect((await replica.post(`${API}/execute`, { sandbox_id: id, command: ['true'] })).body.status).toBe('Success');
      lastCall = Date.now();
    }
    const expected = lastCall + record.auto_clear_minutes * 60_000;
    const deadline = Date.now() + 10_000;
    let score = 0;
    while (score < expected - 1000 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      score = Number(await registry['redis'].zscore(registry.keys.expiry, id));
    }
    expect(score).toBeGreaterThanOrEqual(expected - 1000);
    expect(score).toBeLessThanOrEqual(expected + 100);
  });

  it('pending touches are written when the replica shuts down (SIGTERM)', async () => {
    const other = `${id}-shutdown`;
    await registerSandbox(registry, { id: other, rockletUrl: rocklet.url, token: rocklet.token });
    const record = (await registry.get(other))!;
    await registry['redis'].zadd(registry.keys.expiry, Date.now(), other);
    const replicaToStop = await startReadReplica(prefix);
    try {
      expect((await replicaToStop.post(`${API}/execute`, { sandbox_id: other, command: ['true'] })).body.status).toBe('Success');
      const calledAt = Date.now();
      await replicaToStop.stop();
      const score = Number(await registry['redis'].zscore(registry.keys.expiry, other));
      expect(score).toBeGreaterThanOrEqual(calledAt - 2_000 + record.auto_clear_minutes * 60_000);
    } finally {
      await replicaToStop.stop();
    }
  });
});
