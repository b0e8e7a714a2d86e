/**
 * Issue 3's end-to-end contract check: a write service and two read replicas as separate
 * processes over one registry, driven only through ROCK's v1 HTTP API (API.md), on the local
 * runtime and on the docker runtime with both test images. Each sandbox is created sync and async,
 * used through replica A and replica B alternately (sessions, execute, files), stopped through the
 * write service, and must then be `stopped` on both replicas with nothing left on the host.
 */
import { envelopeOf, SandboxStartResponseSchema, SandboxStatusSchema } from '@rock/contracts';
import { TEST_IMAGES } from '@rock/testing';
import { createHash, randomBytes } from 'node:crypto';
import { ZipFile } from 'yazl';
import { E2ePlane, SANDBOX_API, type E2eConfig, type Envelope, type ReadReplica } from './e2e-plane';

jest.setTimeout(60_000);

const CONFIGS: E2eConfig[] = [
  { name: 'local', runtime: 'local', image: TEST_IMAGES.bash },
  { name: 'docker-bash', runtime: 'docker', image: TEST_IMAGES.bash },
  { name: 'docker-busybox', runtime: 'docker', image: TEST_IMAGES.busybox },
];
const RUNNING_DEADLINE_MS = 45_000;
/**
 * How long a replica may still answer a state the write service already left: below the replicas'
 * default registry-cache TTL (2 s), so only the registry's change events can make it in time.
 */
const EVENT_DEADLINE_MS = 1_500;
const ISO_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const CALLER = { 'x-user-id': 'e2e-user', 'x-experiment-id': 'e2e-exp', 'x-namespace': 'e2e-ns', 'x-cluster': 'e2e-cluster' };
const CREATE_ENV = { E2E_FROM_CREATE: 'from-create', E2E_SHARED: 'create' };
const SESSION = 'agent-shell';

/** A zip archive of `files` (name → text), built in memory. */
async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** `{status: "Success", message: null, error: null, result}`: the exact v1 success envelope. */
function success(result: unknown): Envelope {
  return { status: 'Success', message: null, error: null, result };
}

describe.each(CONFIGS)('control plane end to end: $name', (config) => {
  let e2e: E2ePlane;
  const syncId = `e2e-sync-${randomBytes(3).toString('hex')}`;
  const asyncId = `e2e-async-${randomBytes(3).toString('hex')}`;
  const ids = [syncId, asyncId];
  let a: ReadReplica;
  let b: ReadReplica;
  const status = (replica: ReadReplica, id: string, all = false) =>
    replica.get(`${SANDBOX_API}/get_status?sandbox_id=${id}${all ? '&include_all_states=true' : ''}`).then((r) => r.body);
  const post = (replica: ReadReplica, route: string, body: Record<string, unknown>) =>
    replica.post(`${SANDBOX_API}/${route}`, body).then((r) => r.body);

  beforeAll(async () => {
    e2e = new E2ePlane(config);
    await e2e.start();
    [a, b] = e2e.replicas;
  }, 90_000);
  afterAll(async () => e2e?.cleanup(), 90_000);

  // The sync sandbox gets its env as `env` [ext], the async one as ROCK's `env_vars`.
  const startBody = (id: string) => ({
    image: config.image, sandbox_id: id, memory: '256m', cpus: 0.5, [id === syncId ? 'env' : 'env_vars']: { ...CREATE_ENV, ...e2e.tagEnv(id) },
    metadata: { e2e_run: e2e.instance, kind: id === syncId ? 'sync' : 'async' },
  });

  it('creates one sandbox with /start (sync, answered running) and one with /start_async (pending, then running via a replica)', async () => {
    const [sync, pending] = await Promise.all([
      e2e.create('start', startBody(syncId), CALLER),
      e2e.create('start_async', startBody(asyncId), CALLER),
    ]);
    for (const [answer, id] of [[sync, syncId], [pending, asyncId]] as const) {
      expect(envelopeOf(SandboxStartResponseSchema).safeParse(answer).error).toBeUndefined();
      expect(answer).toMatchObject(success({ sandbox_id: id, cpus: 0.5, memory: '256m', disk: '50G' }));
    }
    expect(sync.result.host_ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // The sync sandbox is already running on both replicas; the async one gets there within the deadline.
    expect((await status(b, syncId)).result).toMatchObject({ state: 'running', is_alive: true });
    const running = await e2e.waitUntilRunning(a, asyncId, RUNNING_DEADLINE_MS);
    expect(running.result.state_history.map((h: { to_state: string }) => h.to_state)).toEqual(['pending', 'running']);
  });

  it('get_status and is_alive give the same answer through both replicas, in the v1 shapes', async () => {
    for (const id of ids) {
      const [fromA, fromB] = [await status(a, id), await status(b, id)];
      expect(envelopeOf(SandboxStatusSchema).safeParse(fromA).error).toBeUndefined();
      expect(Object.keys(fromA.result).sort()).toEqual(Object.keys(SandboxStatusSchema.shape).sort());
      // Every read-side call slides the idle deadline, so only auto_stop_time may differ.
      expect({ ...fromB.result, auto_stop_time: null }).toEqual({ ...fromA.result, auto_stop_time: null });
      expect(fromA).toMatchObject(success({
        sandbox_id: id, state: 'running', is_alive: true, image: config.image, cpus: 0.5, memory: '256m', disk: '50G',
        user_id: 'e2e-user', experiment_id: 'e2e-exp', namespace: 'e2e-ns', cluster: 'e2e-cluster',
        metadata: { e2e_run: e2e.instance, kind: id === syncId ? 'sync' : 'async' }, failure_reason: '',
      }));
      expect(Object.keys(fromA.result.port_mapping)).toContain('22555');
      for (const t of [fromA.result.create_time, fromA.result.start_time, fromA.result.auto_stop_time]) expect(t).toMatch(ISO_WITH_OFFSET);
      expect(JSON.stringify(fromA)).not.toMatch(/rocklet_token|ROCKLET_TOKEN|E2E_FROM_CREATE/);
      for (const replica of [a, b]) {
        expect((await replica.get(`${SANDBOX_API}/is_alive?sandbox_id=${id}`)).body).toEqual(success({ is_alive: true, message: '' }));
        const traced = await fetch(`${replica.url}${SANDBOX_API}/get_status?sandbox_id=${id}`, { headers: { 'x-request-id': `trace-${id}` }, signal: AbortSignal.timeout(10_000) });
        expect(traced.headers.get('x-request-id')).toBe(`trace-${id}`);
      }
    }
  });

  it('list, batch and statistics give the same answer through both replicas; a live id cannot be created twice', async () => {
    const listing = `${SANDBOX_API}/sandboxes?metadata.e2e_run=${e2e.instance}&page_size=10`;
    const [listA, listB] = [(await a.get(listing)).body, (await b.get(listing)).body];
    expect(listA).toMatchObject(success({ total: 2, has_more: false }));
    expect(listA.result.items.map((s: { sandbox_id: string }) => s.sandbox_id).sort()).toEqual([...ids].sort());
    expect(listB.result.items.map((s: { sandbox_id: string }) => s.sandbox_id)).toEqual(listA.result.items.map((s: { sandbox_id: string }) => s.sandbox_id));
    const bySync = (await b.get(`${SANDBOX_API}/sandboxes?metadata.e2e_run=${e2e.instance}&metadata.kind=sync`)).body;
    expect(bySync.result).toMatchObject({ total: 1, items: [{ sandbox_id: syncId }] });
    const batch = { sandbox_ids: [asyncId, `missing-${asyncId}`, syncId] };
    const [batchA, batchB] = [await post(a, 'sandboxes/batch', batch), await post(b, 'sandboxes/batch', batch)];
    expect(batchA.result.statuses.map((s: { sandbox_id: string }) => s.sandbox_id)).toEqual([asyncId, syncId]);
    expect(batchB.result.statuses.map((s: { sandbox_id: string }) => s.sandbox_id)).toEqual([asyncId, syncId]);
    for (const replica of [a, b]) {
      const stats = (await replica.get(`${SANDBOX_API}/get_sandbox_statistics?sandbox_id=${syncId}`)).body;
      expect(stats.status).toBe('Success');
      for (const key of ['cpu', 'mem', 'disk', 'net']) expect(typeof stats.result[key]).toBe('number');
    }
    const duplicate = await e2e.writePost('start_async', startBody(syncId));
    expect(duplicate).toEqual({
      status: 'Failed', message: 'start sandbox failed', error: `Sandbox ${syncId} already exists`,
      result: { code: 4000, exit_code: null, failure_reason: `Sandbox ${syncId} already exists` },
    });
  });

  it.each([['sync', 0], ['async', 1]])('a session on the %s sandbox keeps its state across replicas, then closes', async (_kind, index) => {
    const id = ids[index]!;
    const run = (replica: ReadReplica, command: string, extra: Record<string, unknown> = {}) =>
      post(replica, 'run_in_session', { sandbox_id: id, session: SESSION, command, action_type: 'bash', ...extra });
    expect(await post(a, 'create_session', { sandbox_id: id, session: SESSION, session_type: 'bash', env: { E2E_SESSION: 'sess' } }))
      .toMatchObject(success({ session_type: 'bash' }));
    expect(await run(a, 'cd /tmp; export X=1')).toEqual(success({ session_type: 'bash', output: '', exit_code: 0, failure_reason: '', expect_string: '' }));
    expect(await run(b, 'pwd; echo $X')).toEqual(success({ session_type: 'bash', output: '/tmp\n1', exit_code: 0, failure_reason: '', expect_string: '' }));
    expect((await run(a, 'echo "$E2E_FROM_CREATE $E2E_SESSION"')).result.output).toBe('from-create sess');
    const failed = await run(b, 'echo to-stderr >&2; (exit 4)', { check: 'raise' });
    expect(failed).toMatchObject({ status: 'Failed', message: 'run in session failed', result: { code: 6000, exit_code: 4 } });
    expect(failed.result.failure_reason).toContain('to-stderr');
    expect((await run(a, '(exit 4)', { check: 'silent' })).result.exit_code).toBe(4);
    expect(await post(b, 'close_session', { sandbox_id: id, session: SESSION, session_type: 'bash' })).toEqual(success({ session_type: 'bash' }));
    const closed = await run(a, 'echo gone');
    expect(closed).toMatchObject({ status: 'Failed', message: 'run in session failed', result: { code: 4000 } });
    expect(closed.error).toContain(SESSION);
  });

  it('a session command over its timeout is interrupted, and the session goes on through the other replica', async () => {
    const run = (replica: ReadReplica, command: string, extra: Record<string, unknown> = {}) =>
      post(replica, 'run_in_session', { sandbox_id: syncId, session: 'timeouts', command, action_type: 'bash', ...extra });
    expect(await post(b, 'create_session', { sandbox_id: syncId, session: 'timeouts' })).toMatchObject(success({ session_type: 'bash' }));
    expect((await run(a, 'export Y=2')).status).toBe('Success');
    const began = Date.now();
    const slow = await run(b, 'sleep 30', { timeout: 1 });
    expect(slow).toMatchObject({ status: 'Failed', message: 'run in session failed', result: null });
    expect(slow.error).toEqual(expect.any(String));
    expect(Date.now() - began).toBeLessThan(10_000);
    expect(await run(a, 'echo "still $Y"')).toMatchObject(success({ output: 'still 2', exit_code: 0 }));
  });

  it.each([['sync', 0], ['async', 1]])('execute on the %s sandbox: argv and shell forms, exit codes, stderr, create-time env', async (_kind, index) => {
    const id = ids[index]!;
    const execute = (replica: ReadReplica, body: Record<string, unknown>) => post(replica, 'execute', { sandbox_id: id, ...body });
    // argv: no shell in between, so spaces and `$` reach the program untouched.
    expect(await execute(a, { command: ['printf', '%s|', 'a b', '$E2E_FROM_CREATE'] })).toEqual(success({ stdout: 'a b|$E2E_FROM_CREATE|', stderr: '', exit_code: 0 }));
    expect(await execute(b, { command: ['sh', '-c', 'echo out; echo err >&2; exit 3'] })).toEqual(success({ stdout: 'out\n', stderr: 'err\n', exit_code: 3 }));
    // shell form: the create-time env under the call's env.
    expect(await execute(a, { command: 'echo "$E2E_FROM_CREATE $E2E_SHARED" && pwd', shell: true, cwd: '/tmp', env: { E2E_SHARED: 'call' } }))
      .toEqual(success({ stdout: 'from-create call\n/tmp\n', stderr: '', exit_code: 0 }));
    expect(await execute(b, { command: 'echo "$E2E_SHARED"; exit 7', shell: true })).toEqual(success({ stdout: 'create\n', stderr: '', exit_code: 7 }));
    const checked = await execute(a, { command: 'echo oops >&2; exit 2', shell: true, check: true });
    expect(checked).toMatchObject({ status: 'Failed', message: 'execute command failed', result: { code: 6000, exit_code: 2 } });
    expect(checked.result.failure_reason).toContain('oops');
    // Output over the cap (1 MiB per stream by default) keeps its head and tail and says so.
    const big = await execute(a, { command: 'head -c 3000000 /dev/zero | tr "\\0" a; echo; echo tail-end', shell: true });
    expect(big).toMatchObject(success({ stderr: '', exit_code: 0, truncated: true }));
    expect(big.result.stdout.length).toBeLessThanOrEqual(1024 * 1024 + 1024);
    expect(big.result.stdout.startsWith('aaaa')).toBe(true);
    expect(big.result.stdout.endsWith('a\ntail-end\n')).toBe(true);
    // A daemonized process the sandbox leaves behind: stop must end it too (checked in the stop test).
    const sleeper = await execute(b, { command: 'nohup sleep 300 >/dev/null 2>&1 </dev/null &', shell: true });
    expect(sleeper).toEqual(success({ stdout: '', stderr: '', exit_code: 0 }));
  });

  it.each([['sync', 0], ['async', 1]])('files on the %s sandbox: write via A / read via B, upload via A / download via B byte-exact', async (_kind, index) => {
    const id = ids[index]!;
    const dir = `${e2e.scratchDir}/${id}/nested/deeper`;
    const text = 'héllo wörld ✓\nline two\n';
    expect(await post(a, 'write_file', { sandbox_id: id, path: `${dir}/note.txt`, content: text })).toEqual(success({ success: true, message: '' }));
    expect(await post(b, 'read_file', { sandbox_id: id, path: `${dir}/note.txt` })).toEqual(success({ content: text }));

    // Every byte value, CR/LF pairs and a fake multipart boundary, then random bytes.
    const payload = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n--boundary\r\n\r\n\0'), randomBytes(300 * 1024)]);
    const target = `${dir}/payload.bin`;
    const form = new FormData();
    form.set('sandbox_id', id);
    form.set('target_path', target);
    form.set('file', new Blob([payload]), 'payload.bin');
    const uploaded = await fetch(`${a.url}${SANDBOX_API}/upload`, { method: 'POST', body: form, signal: AbortSignal.timeout(30_000) });
    expect(await uploaded.json()).toEqual(success({ success: true, message: '', file_name: target }));
    const downloaded = await fetch(`${b.url}${SANDBOX_API}/download?sandbox_id=${id}&path=${encodeURIComponent(target)}`, { signal: AbortSignal.timeout(30_000) });
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers.get('content-type')).toBe('application/octet-stream');
    const bytes = Buffer.from(await downloaded.arrayBuffer());
    expect(bytes.length).toBe(payload.length);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
    // The sandbox itself sees the same file (through the other replica again).
    expect((await post(a, 'execute', { sandbox_id: id, command: ['wc', '-c', target] })).result.stdout.trim()).toBe(`${payload.length} ${target}`);
    // unzip: a zip uploaded through B is extracted in the sandbox; A reads its entries.
    const zipForm = new FormData();
    zipForm.set('sandbox_id', id);
    zipForm.set('target_path', `${dir}/unzipped`);
    zipForm.set('unzip', 'true');
    zipForm.set('file', new Blob([await zipOf({ 'top.txt': 'top', 'sub/inner.txt': 'inner ✓' })]), 'bundle.zip');
    const unzipped = await fetch(`${b.url}${SANDBOX_API}/upload`, { method: 'POST', body: zipForm, signal: AbortSignal.timeout(30_000) });
    expect(await unzipped.json()).toMatchObject(success({ success: true, file_name: `${dir}/unzipped` }));
    expect(await post(a, 'read_file', { sandbox_id: id, path: `${dir}/unzipped/sub/inner.txt` })).toEqual(success({ content: 'inner ✓' }));
  });

  it.each([['sync', 0], ['async', 1]])('files on the %s sandbox: a path that cannot be created fails at once, and the sandbox keeps serving', async (_kind, index) => {
    const id = ids[index]!;
    // /proc refuses mkdir with ENOENT under an existing parent (where Node's recursive mkdir never settled).
    const impossible = '/proc/rock-e2e-no-such-dir/sub/file.txt';
    const began = Date.now();
    const written = await post(b, 'write_file', { sandbox_id: id, path: impossible, content: 'x' });
    expect(written).toMatchObject({ status: 'Failed', message: 'write file failed' });
    expect(written.error).toContain('/proc/rock-e2e-no-such-dir');
    const form = new FormData();
    form.set('sandbox_id', id);
    form.set('target_path', impossible);
    form.set('file', new Blob([Buffer.from('payload')]), 'file.txt');
    const uploaded = await fetch(`${a.url}${SANDBOX_API}/upload`, { method: 'POST', body: form, signal: AbortSignal.timeout(30_000) });
    expect(await uploaded.json()).toMatchObject({ status: 'Failed', message: 'upload file failed', error: expect.stringContaining('/proc/rock-e2e-no-such-dir') });
    expect(Date.now() - began).toBeLessThan(10_000);
    const path = `${e2e.scratchDir}/${id}/after-failure.txt`;
    expect(await post(a, 'write_file', { sandbox_id: id, path, content: 'ok' })).toEqual(success({ success: true, message: '' }));
    expect(await post(b, 'read_file', { sandbox_id: id, path })).toEqual(success({ content: 'ok' }));
  });

  it('stop through the write service: stopped on both replicas, and no container or rocklet process remains', async () => {
    const rocklets = await Promise.all(ids.map(async (id) => {
      const { host_ip: ip, port_mapping: ports } = (await status(a, id)).result as { host_ip: string; port_mapping: Record<string, number> };
      return `http://${ip}:${ports['22555']}/is_alive`;
    }));
    for (const url of rocklets) expect((await fetch(url, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
    // The leftover check sees what runs now: a container per sandbox, or its rocklet and sleeper.
    if (config.runtime === 'docker') {
      expect((await e2e.leftovers(ids)).length).toBe(ids.length);
    } else {
      const running = await e2e.localProcesses(ids);
      for (const id of ids) {
        const commands = running.filter((p) => p.sandboxId === id).map((p) => p.command);
        expect({ id, rocklet: commands.some((c) => c.includes('rocklet.js')), sleeper: commands.includes('sleep 300') })
          .toEqual({ id, rocklet: true, sleeper: true });
      }
    }
    for (const id of ids) {
      expect(await e2e.writePost('stop', { sandbox_id: id })).toEqual(success(`${id} stopped`));
    }
    for (const id of ids) {
      for (const replica of [a, b]) {
        const stopped = await pollStatus(replica, id, (s) => s?.state === 'stopped', EVENT_DEADLINE_MS);
        expect(stopped).toMatchObject(success({ sandbox_id: id, state: 'stopped', is_alive: false }));
        expect(stopped.result.stop_time).toMatch(ISO_WITH_OFFSET);
        expect(stopped.result.state_history.map((h: { to_state: string }) => h.to_state)).toEqual(['pending', 'running', 'stopped']);
        expect(await status(replica, id)).toMatchObject({ status: 'Failed', error: `Sandbox ${id} not found`, result: { code: 4000 } });
        const optIn = await replica.get(`${SANDBOX_API}/get_status?sandbox_id=${id}`, { 'x-rock-http-status': 'true' });
        expect(optIn.status).toBe(404);
        expect((await replica.get(`${SANDBOX_API}/is_alive?sandbox_id=${id}`)).body.result.is_alive).toBe(false);
      }
    }
    for (const replica of [a, b]) {
      expect((await replica.get(`${SANDBOX_API}/sandboxes?metadata.e2e_run=${e2e.instance}`)).body).toEqual(success({ items: [], total: 0, has_more: false }));
    }
    expect(await e2e.leftovers(ids)).toEqual([]);
    const afterStop = await post(b, 'execute', { sandbox_id: asyncId, command: ['true'] });
    expect(afterStop).toMatchObject({ status: 'Failed', error: `Sandbox ${asyncId} is stopped; cannot run commands in it`, result: { code: 4000 } });
    // Refused (local) or unreachable (a removed container's bridge IP, which only times out).
    await Promise.all(rocklets.map((url) => expect(fetch(url, { signal: AbortSignal.timeout(1_000) })).rejects.toThrow()));
  });

  it('a second stop is still a Success; delete moves the sandbox on to deleted for both replicas', async () => {
    expect(await e2e.writePost('stop', { sandbox_id: syncId })).toEqual(success(`${syncId} stopped`));
    expect(await e2e.writePost('delete', { sandbox_id: syncId })).toEqual(success(`${syncId} deleted`));
    for (const replica of [a, b]) {
      const deleted = await pollStatus(replica, syncId, (s) => s?.state === 'deleted', EVENT_DEADLINE_MS);
      expect(deleted).toMatchObject(success({ sandbox_id: syncId, state: 'deleted' }));
      expect(await status(replica, syncId)).toMatchObject({ status: 'Failed', error: `Sandbox ${syncId} not found`, result: { code: 4000 } });
    }
  });

  it('bad create requests name every bad field, create nothing, and the service keeps serving', async () => {
    const bad = await e2e.writePost('start', {
      image: '', sandbox_id: '-starts-with-dash', memory: '12 parsecs', cpus: -1, limit_cpus: 'many', disk: 'huge',
      auto_clear_time_minutes: 1.5, startup_timeout: 0, pull: 'maybe', image_os: ' ', env_vars: { OK: 'x', BAD: 2 },
      metadata: { owner: null }, num_gpus: -2, auto_delete_seconds: -1, auto_archive_seconds: 'soon',
    });
    expect(bad).toMatchObject({ status: 'Failed', message: 'invalid parameter', result: null });
    const fields = String(bad.error).split('; ').map((issue) => issue.slice(0, issue.indexOf(':')));
    expect(fields.sort()).toEqual([
      'auto_archive_seconds', 'auto_clear_time_minutes', 'auto_delete_seconds', 'cpus', 'disk', 'env_vars.BAD', 'image', 'image_os',
      'limit_cpus', 'memory', 'metadata.owner', 'num_gpus', 'pull', 'sandbox_id', 'startup_timeout',
    ]);
    const badId = `e2e-bad-${randomBytes(3).toString('hex')}`;
    const asyncBad = await e2e.writePost('start_async', { image: config.image, sandbox_id: badId, cpus: 2, limit_cpus: 1 });
    expect(asyncBad).toMatchObject({ status: 'Failed', message: 'invalid parameter', error: 'limit_cpus: must be >= cpus', result: null });
    const listing = (await b.get(`${SANDBOX_API}/sandboxes`)).body;
    expect(listing).toEqual(success({ items: [], total: 0, has_more: false }));
    expect(await e2e.leftovers([badId])).toEqual([]);
    expect(await status(a, badId, true)).toMatchObject({ status: 'Failed', error: `Sandbox ${badId} not found`, result: { code: 4000 } });
    expect((await e2e.write.request('/healthz')).status).toBe(200);
  });

  /** Polls `get_status?include_all_states=true` through `replica` every 20 ms until `accept` holds. */
  async function pollStatus(replica: ReadReplica, id: string, accept: (result: { state?: string } | null) => boolean, deadlineMs: number): Promise<Envelope> {
    const deadline = Date.now() + deadlineMs;
    let last = await status(replica, id, true);
    while (!accept(last.result) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      last = await status(replica, id, true);
    }
    return last;
  }
});
