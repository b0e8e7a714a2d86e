import { ControlPlane, GEM_API, SANDBOX_API, type WriteProcess } from './write-service-fixture';

jest.setTimeout(60_000);

describe('write service HTTP surface (envelope, validation, request ids, ops routes, GEM checks)', () => {
  const plane = new ControlPlane({ name: 'http', runtime: 'local' });
  let write: WriteProcess;

  beforeAll(async () => {
    write = await plane.start();
  });
  afterAll(async () => plane.cleanup());

  it('names every bad field of a start request and keeps serving', async () => {
    const res = await write.post(`${SANDBOX_API}/start`, {
      image: '  ', sandbox_id: 'Bad_Id', memory: 'lots', cpus: 0, pull: 'sometimes', env: { A: 1 }, auto_clear_time_minutes: 0,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'Failed', message: 'invalid parameter', result: null });
    const error = String(res.body.error);
    for (const field of ['image:', 'sandbox_id:', 'memory:', 'cpus:', 'pull:', 'env.A:', 'auto_clear_time_minutes:']) {
      expect(error).toContain(field);
    }
    const optIn = await write.post(`${SANDBOX_API}/start_async`, {}, { 'x-rock-http-status': 'true' });
    expect(optIn.status).toBe(400);
    expect(optIn.body.error).toBe('image: is required');
    const stop = await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 7 });
    expect(stop.body.error).toBe('sandbox_id: must be a string');
    const commit = await write.post(`${SANDBOX_API}/commit`, { sandbox_id: 'x' });
    expect(commit.body.error).toBe('image_tag: is required');
    const notJson = await write.request(`${SANDBOX_API}/start`, { method: 'POST', body: '{"image":', headers: { 'content-type': 'application/json' } });
    expect(notJson.body).toMatchObject({ status: 'Failed', message: 'invalid parameter' });
    expect((await write.request('/healthz')).status).toBe(200);
  });

  it('echoes X-Request-Id (or eagleeye-traceid) and generates one otherwise', async () => {
    const given = await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'nope' }, { 'x-request-id': 'req-123' });
    expect(given.headers.get('x-request-id')).toBe('req-123');
    const eagle = await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'nope' }, { 'eagleeye-traceid': 'trace-9' });
    expect(eagle.headers.get('x-request-id')).toBe('trace-9');
    const generated = await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'nope' });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('says restart/commit are not supported by runtime local', async () => {
    const restart = await write.post(`${SANDBOX_API}/restart`, { sandbox_id: 'any' }, { 'x-rock-http-status': 'true' });
    expect(restart.status).toBe(400);
    expect(restart.body).toMatchObject({ status: 'Failed', message: 'restart sandbox failed', error: 'restart is not supported by runtime local' });
    const commit = await write.post(`${SANDBOX_API}/commit`, { sandbox_id: 'any', image_tag: 'x:y' });
    expect(commit.body.error).toBe('commit is not supported by runtime local');
  });

  it('refuses an unknown GEM env id with close matches before creating anything', async () => {
    const res = await write.post(`${GEM_API}/make`, { env_id: 'game:GuessTheNumbr-v0-easy' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: expect.stringContaining('Environment game:GuessTheNumbr-v0-easy not found in registry') });
    expect(String(res.body.detail)).toContain('game:GuessTheNumber-v0-easy');
    expect(await plane.registry.aliveIds()).toEqual([]);
    const bad = await write.post(`${GEM_API}/make`, { seed: 'x' });
    expect(bad.status).toBe(400);
    expect(String(bad.body.detail)).toContain('env_id: is required');
    const close = await write.post(`${GEM_API}/close`, { sandbox_id: 'no-such-env' });
    expect(close.status).toBe(404);
    expect(close.body).toEqual({ detail: 'Sandbox no-such-env not found' });
  });

  it('serves healthz, readyz, metrics, OpenAPI docs and a real 404 for unknown routes', async () => {
    expect((await write.request('/readyz')).body).toEqual({ status: 'ok', checks: { redis: 'ok' } });
    const metrics = String((await write.request('/metrics')).body);
    expect(metrics).toMatch(/rock_http_request_duration_seconds_count\{[^}]*route="\/apis\/envs\/sandbox\/v1\/stop"[^}]*outcome="failed"/);
    expect(metrics).toContain('service="write"');
    expect(metrics).toMatch(/rock_queue_depth\{[^}]*state="waiting"[^}]*\} \d+/);
    const docs = await write.request('/docs-json');
    expect(Object.keys((docs.body as unknown as { paths: object }).paths)).toEqual(
      expect.arrayContaining([`${SANDBOX_API}/start`, `${SANDBOX_API}/warmup/tasks`, `${GEM_API}/make`]),
    );
    expect((await write.request('/docs')).status).toBe(200);
    const unknown = await write.post(`${SANDBOX_API}/no_such_route`, {});
    expect(unknown.status).toBe(404);
  });
});

describe('write service with API keys (API.md §7)', () => {
  const plane = new ControlPlane({ name: 'auth', runtime: 'local', env: { ROCK_API_KEYS: 'key-alice-0123456789:alice,key-bob-0123456789ab:bob' } });
  let write: WriteProcess;

  beforeAll(async () => {
    write = await plane.start();
  });
  afterAll(async () => plane.cleanup());

  it('requires a key, and another principal sees the sandbox as not found', async () => {
    const anonymous = await write.post(`${SANDBOX_API}/start_async`, { image: 'local' }, { 'x-rock-http-status': 'true' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.status).toBe('Failed');
    const started = await write.post(`${SANDBOX_API}/start`, { image: 'local', sandbox_id: 'alice-box', memory: '128m', cpus: 0.1 }, { 'x-api-key': 'key-alice-0123456789' });
    expect(started.body.status).toBe('Success');
    expect((await plane.registry.get('alice-box'))?.owner).toBe('alice');
    const bobStop = await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'alice-box' }, { authorization: 'Bearer key-bob-0123456789ab' });
    expect(bobStop.body.error).toBe('Sandbox alice-box not found');
    const aliceStop = await write.post(`${SANDBOX_API}/stop`, { sandbox_id: 'alice-box' }, { authorization: 'Bearer key-alice-0123456789' });
    expect(aliceStop.body.result).toBe('alice-box stopped');
    expect((await write.request('/healthz')).status).toBe(200);
  });
});
