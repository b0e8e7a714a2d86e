/**
 * Two read replicas (real processes from dist/) over one registry (real Redis, unique prefix) and
 * a real rocklet process registered directly: every answer is the same through either replica.
 */
import type { SandboxRegistry } from '@rock/registry';
import type { RockletProcess } from '@rock/testing';
import { randomBytes } from 'node:crypto';
import { API, registerSandbox, startReadReplica, startReadTestBed, stopReadTestBed, uniquePrefix, type ReadReplica } from './read-harness';

jest.setTimeout(120_000);

const prefix = uniquePrefix('replicas');
const id = `sbx-${randomBytes(4).toString('hex')}`;
let registry: SandboxRegistry;
let rocklet: RockletProcess;
let replicas: ReadReplica[] = [];

beforeAll(async () => {
  ({ registry, rocklet } = await startReadTestBed(prefix, {
    id, env: { ROCK_FROM_CREATE: 'create', ROCK_SHARED: 'create' }, metadata: { team: 'blue' }, headers: { 'x-user-id': 'alice' },
  }));
  // A long cache TTL: only registry events can make a replica see a change quickly.
  const env = { ROCK_REGISTRY_CACHE_TTL_MS: '600000' };
  replicas = await Promise.all([startReadReplica(prefix, env), startReadReplica(prefix, env)]);
});

afterAll(() => stopReadTestBed(prefix, { registry, rocklet }, replicas));

/** The same call through both replicas; both answers are returned for comparison. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked by assertions
async function both<T = any>(call: (r: ReadReplica) => Promise<{ status: number; body: T }>): Promise<[T, T]> {
  const [a, b] = await Promise.all(replicas.map(call));
  return [a!.body, b!.body];
}

describe('status routes', () => {
  it('get_status answers the running record on both replicas, without internal fields', async () => {
    const a = (await replicas[0]!.get(`${API}/get_status?sandbox_id=${id}`)).body;
    const b = (await replicas[1]!.get(`${API}/get_status?sandbox_id=${id}`)).body;
    // Each call slides the idle deadline, so the later answer shows a later (or equal) one.
    expect({ ...a.result, auto_stop_time: null }).toEqual({ ...b.result, auto_stop_time: null });
    expect(Date.parse(b.result.auto_stop_time)).toBeGreaterThanOrEqual(Date.parse(a.result.auto_stop_time));
    expect(a).toMatchObject({ status: 'Success', result: { sandbox_id: id, state: 'running', is_alive: true, user_id: 'alice', metadata: { team: 'blue' } } });
    expect(JSON.stringify(a)).not.toContain(rocklet.token as string);
    expect(a.result).not.toHaveProperty('rocklet_token');
    expect(a.result).not.toHaveProperty('env');
  });

  it('an unknown sandbox is 4000 "Sandbox <id> not found"; is_alive never fails', async () => {
    const [a, b] = await both((r) => r.get(`${API}/get_status?sandbox_id=nope-${id}`));
    expect(a).toEqual(b);
    expect(a).toMatchObject({ status: 'Failed', error: `Sandbox nope-${id} not found`, result: { code: 4000 } });
    const [alive, dead] = await Promise.all([
      replicas[0]!.get(`${API}/is_alive?sandbox_id=${id}`),
      replicas[1]!.get(`${API}/is_alive?sandbox_id=nope-${id}`),
    ]);
    expect(alive.body).toMatchObject({ status: 'Success', result: { is_alive: true, message: '' } });
    expect(dead.body).toMatchObject({ status: 'Success', result: { is_alive: false, message: `Sandbox nope-${id} not found` } });
    const missing = await replicas[0]!.get(`${API}/is_alive`);
    expect(missing.body).toMatchObject({ status: 'Success', result: { is_alive: false } });
  });

  it('lists live sandboxes with pagination and filters on fields and metadata, the same on both', async () => {
    const extra = ['a', 'b', 'c', 'd'].map((s) => `${id}-${s}`);
    for (const [i, extraId] of extra.entries()) {
      await registerSandbox(registry, {
        id: extraId, rockletUrl: null, token: null, running: false, metadata: { team: i % 2 ? 'red' : 'blue', n: String(i) },
        cpus: i === 3 ? 2 : 1, image: i === 0 ? 'special:1' : 'rock-test-bash:latest',
      });
    }
    const [p1, p1b] = await both((r) => r.get(`${API}/sandboxes?page=1&page_size=2`));
    expect(p1).toEqual(p1b);
    expect(p1.result).toMatchObject({ total: 5, has_more: true });
    expect(p1.result.items.map((s: { sandbox_id: string }) => s.sandbox_id)).toEqual([id, extra[0]]);
    const p3 = await replicas[1]!.get(`${API}/sandboxes?page=3&page_size=2`);
    expect(p3.body.result).toMatchObject({ total: 5, has_more: false, items: [{ sandbox_id: extra[3] }] });
    const blue = await replicas[0]!.get(`${API}/sandboxes?metadata.team=blue`);
    expect(blue.body.result.items.map((s: { sandbox_id: string }) => s.sandbox_id)).toEqual([id, extra[0], extra[2]]);
    const combined = await replicas[1]!.get(`${API}/sandboxes?metadata.team=red&cpus=2`);
    expect(combined.body.result).toMatchObject({ total: 1, items: [{ sandbox_id: extra[3], state: 'pending' }] });
    const byImage = await replicas[0]!.get(`${API}/sandboxes?image=special:1`);
    expect(byImage.body.result.items.map((s: { sandbox_id: string }) => s.sandbox_id)).toEqual([extra[0]]);
    const user = await replicas[0]!.get(`${API}/sandboxes?user_id=alice`);
    expect(user.body.result).toMatchObject({ total: 1, items: [{ sandbox_id: id }] });
  });

  it('rejects a bad listing query by naming the field', async () => {
    const tooBig = await replicas[0]!.get(`${API}/sandboxes?page_size=2001`);
    expect(tooBig.body).toMatchObject({ status: 'Failed', message: 'invalid parameter', result: null });
    expect(tooBig.body.error).toMatch(/^page_size: /);
    const unknown = await replicas[1]!.get(`${API}/sandboxes?colour=red`);
    expect(unknown.body).toMatchObject({ status: 'Failed', error: 'colour: is not a filterable field' });
  });

  it('batch answers the statuses of the ids that exist, in order, and validates the list', async () => {
    const [a, b] = await both((r) => r.post(`${API}/sandboxes/batch`, { sandbox_ids: [`${id}-b`, 'missing-x', id] }));
    expect(a).toEqual(b);
    expect(a.result.statuses.map((s: { sandbox_id: string }) => s.sandbox_id)).toEqual([`${id}-b`, id]);
    const tooMany = await replicas[0]!.post(`${API}/sandboxes/batch`, { sandbox_ids: Array.from({ length: 2001 }, (_, i) => `x${i}`) });
    expect(tooMany.body).toMatchObject({ status: 'Failed', message: 'invalid parameter' });
    expect(tooMany.body.error).toMatch(/^sandbox_ids: /);
  });

  it('get_sandbox_statistics answers numbers from the rocklet', async () => {
    const stats = await replicas[1]!.get(`${API}/get_sandbox_statistics?sandbox_id=${id}`);
    expect(stats.body.status).toBe('Success');
    for (const key of ['cpu', 'mem', 'disk', 'net']) expect(typeof stats.body.result[key]).toBe('number');
  });
});

describe('execute', () => {
  it('merges the create-time env under the call env, the same through both replicas', async () => {
    const body = { sandbox_id: id, command: 'echo "$ROCK_FROM_CREATE $ROCK_SHARED"', shell: true, env: { ROCK_SHARED: 'call' } };
    const [a, b] = await both((r) => r.post(`${API}/execute`, body));
    expect(a).toEqual(b);
    expect(a).toEqual({ status: 'Success', message: null, error: null, result: { stdout: 'create call\n', stderr: '', exit_code: 0 } });
  });

  it('forwards the request id to the rocklet', async () => {
    const requestId = `req-${randomBytes(6).toString('hex')}`;
    await replicas[0]!.post(`${API}/execute`, { sandbox_id: id, command: ['true'] }, { 'x-request-id': requestId });
    // The rocklet logs the request when its response is done; its stdout may trail our answer.
    const deadline = Date.now() + 10_000;
    while (!rocklet.logs().includes(requestId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(rocklet.logs()).toContain(`"reqId":"${requestId}"`);
  });

  it('check: true with a failing command is a 6000 failure with the exit code', async () => {
    const failed = await replicas[1]!.post(`${API}/execute`, { sandbox_id: id, command: 'echo out; exit 3', shell: true, check: true });
    expect(failed.body).toMatchObject({ status: 'Failed', message: 'execute command failed', result: { code: 6000, exit_code: 3 } });
    expect(failed.body.result.failure_reason).toContain('out');
  });

  it('validation errors name the field; unknown sandboxes are 4000', async () => {
    const bad = await replicas[0]!.post(`${API}/execute`, { sandbox_id: id, command: [], timeout: -1 });
    expect(bad.body).toMatchObject({ status: 'Failed', message: 'invalid parameter', result: null });
    expect(bad.body.error).toContain('command: ');
    expect(bad.body.error).toContain('timeout: ');
    const unknown = await replicas[1]!.post(`${API}/execute`, { sandbox_id: 'ghost-1', command: ['true'] });
    expect(unknown.body).toMatchObject({ status: 'Failed', error: 'Sandbox ghost-1 not found', result: { code: 4000 } });
  });
});

describe('sessions', () => {
  const run = (r: ReadReplica, body: Record<string, unknown>) =>
    r.post(`${API}/run_in_session`, { sandbox_id: id, session: 's1', action_type: 'bash', ...body });

  beforeAll(async () => {
    const created = await replicas[0]!.post(`${API}/create_session`, { sandbox_id: id, session: 's1', env: { ROCK_SHARED: 'session' } });
    expect(created.body).toMatchObject({ status: 'Success', result: { session_type: 'bash' } });
  });

  it('keeps shell state across calls through either replica, with the create-time env merged under', async () => {
    await run(replicas[0]!, { command: 'cd /tmp && export ROCK_X=42' });
    const state = await run(replicas[1]!, { command: 'echo "$PWD $ROCK_X $ROCK_FROM_CREATE $ROCK_SHARED"' });
    expect(state.body).toMatchObject({ status: 'Success', result: { output: '/tmp 42 create session', exit_code: 0, failure_reason: '', expect_string: '' } });
  });

  it('check modes: raise fails with 6000 and the output, silent returns the code, ignore returns null', async () => {
    const raised = await run(replicas[0]!, { command: 'echo boom; (exit 7)', check: 'raise' });
    expect(raised.body).toMatchObject({ status: 'Failed', message: 'run in session failed', result: { code: 6000, exit_code: 7 } });
    expect(raised.body.error).toBe(raised.body.result.failure_reason);
    expect(raised.body.result.failure_reason).toContain('boom');
    expect(raised.body.result.failure_reason).toContain('7');
    const silent = await run(replicas[1]!, { command: '(exit 7)', check: 'silent' });
    expect(silent.body).toMatchObject({ status: 'Success', result: { exit_code: 7 } });
    const ignored = await run(replicas[0]!, { command: '(exit 7)', check: 'ignore' });
    expect(ignored.body).toMatchObject({ status: 'Success', result: { exit_code: null } });
  });

  it('a timeout answers Failed with result null, and the session stays usable', async () => {
    const slow = await run(replicas[1]!, { command: 'sleep 30', timeout: 1 });
    expect(slow.body).toMatchObject({ status: 'Failed', message: 'run in session failed', result: null });
    expect(slow.body.error).toEqual(expect.any(String));
    const after = await run(replicas[0]!, { command: 'echo still-here' });
    expect(after.body).toMatchObject({ status: 'Success', result: { output: 'still-here', exit_code: 0 } });
  });

  it('a missing session and a duplicate session are 4000 with clear messages', async () => {
    const missing = await run(replicas[0]!, { session: 'nope', command: 'true' });
    expect(missing.body).toMatchObject({ status: 'Failed', result: { code: 4000 } });
    expect(missing.body.error).toContain('nope');
    const duplicate = await replicas[1]!.post(`${API}/create_session`, { sandbox_id: id, session: 's1' });
    expect(duplicate.body).toMatchObject({ status: 'Failed', message: 'create session failed', result: { code: 4000 } });
    expect(duplicate.body.error).toContain('already exists');
  });

  it('close_session closes it for both replicas', async () => {
    await replicas[0]!.post(`${API}/create_session`, { sandbox_id: id, session: 'closing' });
    const closed = await replicas[1]!.post(`${API}/close_session`, { sandbox_id: id, session: 'closing' });
    expect(closed.body).toEqual({ status: 'Success', message: null, error: null, result: { session_type: 'bash' } });
    const gone = await run(replicas[0]!, { session: 'closing', command: 'true' });
    expect(gone.body).toMatchObject({ status: 'Failed', result: { code: 4000 } });
  });
});

describe('files', () => {
  it('write_file through one replica, read_file through the other', async () => {
    const path = `/tmp/rock-read-${id}/nested/f.txt`;
    const content = 'héllo ✓\nline 2\n';
    const written = await replicas[0]!.post(`${API}/write_file`, { sandbox_id: id, path, content });
    expect(written.body).toMatchObject({ status: 'Success', result: { success: true } });
    const read = await replicas[1]!.post(`${API}/read_file`, { sandbox_id: id, path });
    expect(read.body).toEqual({ status: 'Success', message: null, error: null, result: { content } });
    const missing = await replicas[1]!.post(`${API}/read_file`, { sandbox_id: id, path: `${path}.missing` });
    expect(missing.body).toMatchObject({ status: 'Failed', message: 'read file failed', result: { code: 4000 } });
    const relative = await replicas[0]!.post(`${API}/read_file`, { sandbox_id: id, path: 'relative.txt' });
    expect(relative.body).toMatchObject({ status: 'Failed', message: 'invalid parameter', error: 'path: must be an absolute path' });
  });
});

describe('registry coupling', () => {
  it('every call that names the sandbox moves its idle deadline forward', async () => {
    const before = (await registry.get(id))!.auto_stop_time!;
    await new Promise((r) => setTimeout(r, 20));
    await replicas[1]!.post(`${API}/execute`, { sandbox_id: id, command: ['true'] });
    const deadline = Date.now() + 10_000;
    let after = before;
    while (after === before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      after = (await registry.get(id))!.auto_stop_time!;
    }
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
    const score = Number(await registry['redis'].zscore(registry.keys.expiry, id));
    expect(Math.abs(score - Date.parse(after))).toBeLessThan(1000);
  });

  it('a stopped sandbox is reported stopped on both replicas at once (event invalidation, 10-minute cache TTL)', async () => {
    const victim = `${id}-stop`;
    await registerSandbox(registry, { id: victim, rockletUrl: rocklet.url, token: rocklet.token });
    const warm = await both((r) => r.get(`${API}/get_status?sandbox_id=${victim}`));
    expect(warm.map((b) => b.result.state)).toEqual(['running', 'running']);
    const moved = await registry.transition(victim, 'running', 'stopped', 'stop');
    expect(moved.ok).toBe(true);
    const deadline = Date.now() + 5_000;
    let answers = await both((r) => r.get(`${API}/get_status?sandbox_id=${victim}&include_all_states=true`));
    while (answers.some((b) => b.result.state !== 'stopped') && Date.now() < deadline) {
      answers = await both((r) => r.get(`${API}/get_status?sandbox_id=${victim}&include_all_states=true`));
    }
    expect(answers.map((b) => b.result.state)).toEqual(['stopped', 'stopped']);
    const live = await both((r) => r.get(`${API}/get_status?sandbox_id=${victim}`));
    expect(live.map((b) => b.result.code)).toEqual([4000, 4000]);
    const exec = await replicas[0]!.post(`${API}/execute`, { sandbox_id: victim, command: ['true'] });
    expect(exec.body).toMatchObject({ status: 'Failed', result: { code: 4000 } });
    const alive = await replicas[1]!.get(`${API}/is_alive?sandbox_id=${victim}`);
    expect(alive.body).toMatchObject({ status: 'Success', result: { is_alive: false } });
  });

  it('counts registry cache hits and misses in /metrics', async () => {
    const metrics = await fetch(`${replicas[0]!.url}/metrics`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.text());
    expect(metrics).toMatch(/rock_registry_cache_lookups_total\{[^}]*result="hit"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/rock_rocklet_call_duration_seconds_count\{[^}]*operation="execute"/);
  });
});
