import { ControlPlane, SANDBOX_API, type WriteProcess } from './write-service-fixture';

jest.setTimeout(60_000);

const ALICE = { 'x-api-key': 'key-alice-0123456789' };
const KEY_REFUSED = 'a valid API key is required (X-API-Key or Authorization: Bearer)';

/**
 * `start` and `start_async` are plain Fastify routes (no Nest pipeline): their answers must be the
 * ones the Nest controller gave, byte for byte where clients parse strictly (API.md §1).
 */
describe('write service create routes outside Nest (same answers, metrics and docs)', () => {
  const plane = new ControlPlane({ name: 'start-routes', runtime: 'local', env: { ROCK_API_KEYS: 'key-alice-0123456789:alice' } });
  let write: WriteProcess;

  beforeAll(async () => {
    write = await plane.start();
  });
  afterAll(async () => {
    for (const id of ['sr-sync', 'sr-async']) await write.post(`${SANDBOX_API}/stop`, { sandbox_id: id }, ALICE);
    await plane.cleanup();
  });

  it('answers the Success envelope as the serialised envelope, in field order, with the request id', async () => {
    const sync = await write.request(`${SANDBOX_API}/start`, {
      method: 'POST',
      body: JSON.stringify({ image: 'local', sandbox_id: 'sr-sync', memory: '128m', cpus: 0.1 }),
      headers: { 'content-type': 'application/json', 'x-request-id': 'sr-req-1', ...ALICE },
    });
    expect(sync.status).toBe(200);
    expect(sync.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(sync.headers.get('x-request-id')).toBe('sr-req-1');
    const hostIp = String(sync.body.result?.host_ip);
    expect(hostIp).not.toBe('');
    const text = await (await fetch(`${write.url}${SANDBOX_API}/start_async`, {
      method: 'POST',
      body: JSON.stringify({ image: 'local', sandbox_id: 'sr-async', memory: '128m', cpus: 0.1 }),
      headers: { 'content-type': 'application/json', ...ALICE },
      signal: AbortSignal.timeout(30_000),
    })).text();
    expect(text).toBe(
      '{"status":"Success","message":null,"error":null,"result":{"sandbox_id":"sr-async","host_name":"","host_ip":"","cpus":0.1,"memory":"128m","disk":"50G"}}',
    );
    expect((await plane.registry.get('sr-async'))?.owner).toBe('alice');
  });

  it('refuses a missing or unknown key as the API-key guard did, after refusing a body that is not JSON', async () => {
    const refused = { status: 'Failed', message: 'start failed', error: KEY_REFUSED, result: { code: 4000, exit_code: null, failure_reason: KEY_REFUSED } };
    const none = await write.post(`${SANDBOX_API}/start`, { image: 'local' });
    expect([none.status, none.body]).toEqual([200, refused]);
    const wrong = await write.post(`${SANDBOX_API}/start_async`, { image: 'local' }, { authorization: 'Bearer key-mallory-01234567', 'x-rock-http-status': 'true' });
    expect([wrong.status, wrong.body]).toEqual([401, { ...refused, message: 'start_async failed' }]);
    const notJson = await write.request(`${SANDBOX_API}/start`, { method: 'POST', body: '{"image":', headers: { 'content-type': 'application/json' } });
    expect(notJson.body).toEqual({
      status: 'Failed', message: 'invalid parameter', result: null,
      error: "(body): Body is not valid JSON but content-type is set to 'application/json'",
    });
  });

  it('answers a duplicate id as "start sandbox failed" (409 on opt-in), and validation before admission', async () => {
    const dup = await write.post(`${SANDBOX_API}/start_async`, { image: 'local', sandbox_id: 'sr-sync' }, { ...ALICE, 'x-rock-http-status': 'true' });
    expect([dup.status, dup.body]).toEqual([409, {
      status: 'Failed', message: 'start sandbox failed', error: 'Sandbox sr-sync already exists',
      result: { code: 4000, exit_code: null, failure_reason: 'Sandbox sr-sync already exists' },
    }]);
    const invalid = await write.post(`${SANDBOX_API}/start`, { image: 'local', sandbox_id: 'sr-sync', cpus: -1 }, ALICE);
    expect(invalid.body).toEqual({ status: 'Failed', message: 'invalid parameter', error: 'cpus: must be > 0', result: null });
  });

  it('counts the routes by route and outcome, and lists them in /docs as before', async () => {
    const metrics = String((await write.request('/metrics')).body);
    const series = (route: string, status: number, outcome: string): RegExp =>
      new RegExp(`rock_http_request_duration_seconds_count\\{service="write",method="POST",route="${SANDBOX_API}/${route}",status_code="${status}",outcome="${outcome}"\\} [1-9]`);
    expect(metrics).toMatch(series('start', 200, 'success'));
    expect(metrics).toMatch(series('start_async', 200, 'success'));
    expect(metrics).toMatch(series('start', 200, 'failed'));
    expect(metrics).toMatch(series('start_async', 401, 'failed'));
    expect(metrics).toMatch(series('start_async', 409, 'failed'));
    const docs = (await write.request('/docs-json')).body as unknown as { paths: Record<string, { post?: Record<string, unknown> }> };
    expect(docs.paths[`${SANDBOX_API}/start`]?.post).toMatchObject({
      operationId: 'SandboxController_start', tags: ['sandbox lifecycle'],
      summary: 'Create a sandbox and answer once it runs (SandboxStartRequest → SandboxStartResponse)',
    });
    expect(docs.paths[`${SANDBOX_API}/start_async`]?.post).toMatchObject({ operationId: 'SandboxController_startAsync', tags: ['sandbox lifecycle'] });
  });
});
