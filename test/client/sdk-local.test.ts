import { BadRequestError, CommandError, InternalError, RockClient, RockError, Sandbox, SandboxGroup, make, listEnvs } from '@rock/client';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDist, startLocalServer, type LocalServer } from './local-server.fixture';

// The SDK against local mode on the `local` runtime, started as a real `rock admin start` process.
jest.setTimeout(180_000);

let server: LocalServer;
let sandbox: Sandbox;
let scratch: string;
const created: Sandbox[] = [];

beforeAll(async () => {
  buildDist();
  server = await startLocalServer('local', 'sdk');
  scratch = await mkdtemp(join(tmpdir(), 'rock-sdk-test-'));
  sandbox = new Sandbox({ baseUrl: server.baseUrl, image: 'rock-test-bash:latest', env: { FROM_CREATE: 'yes' }, metadata: { suite: 'sdk-local' } });
  created.push(sandbox);
  await sandbox.start();
});

afterAll(async () => {
  for (const s of created) await s.stop().catch(() => undefined);
  if (server) expect(await server.stop()).toBe(0);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('lifecycle', () => {
  it('start reports progress, then the sandbox runs and answers', async () => {
    const seen: string[] = [];
    const other = new Sandbox({ baseUrl: server.baseUrl, image: 'rock-test-bash:latest', sandboxId: `sdk-${Date.now().toString(36)}` });
    created.push(other);
    const status = await other.start({ onProgress: (s) => seen.push(s.state) });
    expect(status.state).toBe('running');
    expect(seen[seen.length - 1]).toBe('running');
    expect(other.sandboxId).toMatch(/^sdk-/);
    expect(await other.isAlive()).toBe(true);
    await other.stop();
    expect(await other.isAlive()).toBe(false);
    expect((await other.getStatus()).state).toBe('stopped');
    await other.stop(); // idempotent
    await other.delete();
  });

  it('getStatus carries the create-time metadata; attach binds to the same sandbox', async () => {
    const status = await Sandbox.attach(sandbox.sandboxId, { baseUrl: server.baseUrl }).getStatus();
    expect(status.metadata).toEqual({ suite: 'sdk-local' });
    expect(status.is_alive).toBe(true);
  });

  it('listSandboxes filters on metadata', async () => {
    const page = await new RockClient({ baseUrl: server.baseUrl }).listSandboxes({ metadata: { suite: 'sdk-local' } });
    expect(page.items.map((s) => s.sandbox_id)).toEqual([sandbox.sandboxId]);
  });
});

describe('commands', () => {
  it('execute runs shell lines and argv with cwd and env, merged over the create-time env', async () => {
    const line = await sandbox.execute({ command: 'echo "$FROM_CREATE $MINE $(pwd)"; echo oops >&2; exit 4', cwd: '/tmp', env: { MINE: 'mine' } });
    expect(line).toEqual({ stdout: 'yes mine /tmp\n', stderr: 'oops\n', exitCode: 4 });
    const argv = await sandbox.execute({ command: ['printf', '%s|', 'a b', '$HOME'] });
    expect(argv.stdout).toBe('a b|$HOME|');
  });

  it('sessions keep state; check raise throws CommandError with the exit code; a closed session is a BadRequestError', async () => {
    await sandbox.createSession({ session: 's1' });
    await sandbox.runInSession({ session: 's1', command: 'export X=41; cd /tmp' });
    expect((await sandbox.runInSession({ session: 's1', command: 'echo $((X+1)) $PWD' })).output).toBe('42 /tmp');
    const failure = await sandbox.runInSession({ session: 's1', command: 'echo bad; false' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CommandError);
    expect((failure as CommandError).code).toBe(6000);
    expect((failure as CommandError).exitCode).toBe(1);
    const silent = await sandbox.runInSession({ session: 's1', command: 'exit_code_probe() { return 3; }; exit_code_probe', check: 'silent' });
    expect(silent.exitCode).toBe(3);
    await sandbox.closeSession('s1');
    await expect(sandbox.runInSession({ session: 's1', command: 'true' })).rejects.toBeInstanceOf(BadRequestError);
    await expect(sandbox.createSession({ session: '' })).rejects.toThrow(/session/);
  });

  it('arun normal returns output and throws CommandError on a non-zero exit', async () => {
    expect(await sandbox.arun('echo fine')).toEqual({ output: 'fine', exitCode: 0, failureReason: '' });
    const error = await sandbox.arun('echo broken; (exit 9)').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).exitCode).toBe(9);
    expect((error as CommandError).output).toContain('broken');
  });

  it('arun nohup reports the background command its own exit code and output, also in a given session', async () => {
    const result = await sandbox.arun('echo started; sleep 1; echo done; exit 7', { mode: 'nohup', waitInterval: 0.2, waitTimeout: 60 });
    expect(result.exitCode).toBe(7);
    expect(result.output).toBe('started\ndone');
    await sandbox.createSession({ session: 'mine' });
    const ok = await sandbox.arun(`printf '%s' "it's quoted"`, { mode: 'nohup', session: 'mine', outputFile: '/tmp/arun-given.out' });
    expect(ok).toEqual({ output: "it's quoted", exitCode: 0, failureReason: '' });
    expect(await sandbox.readFile('/tmp/arun-given.out')).toBe("it's quoted");
    const ignored = await sandbox.arun('seq 1 100000', { mode: 'nohup', session: 'mine', ignoreOutput: true, outputFile: '/tmp/arun-big.out' });
    expect(ignored.output).toContain('/tmp/arun-big.out');
    const limited = await sandbox.arun('seq 1 100000', { mode: 'nohup', session: 'mine', responseLimitedBytes: 13 });
    expect(limited.output).toBe('99999\n100000');
    await sandbox.closeSession('mine');
  });

  it('arun nohup gives up at waitTimeout with an InternalError', async () => {
    const started = Date.now();
    await expect(sandbox.arun('sleep 30', { mode: 'nohup', waitTimeout: 1, waitInterval: 0.2 })).rejects.toBeInstanceOf(InternalError);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('files', () => {
  it('writeFile/readFile round-trip text and create parent directories; a missing file is a BadRequestError', async () => {
    await sandbox.writeFile('/tmp/sdk-files/deep/a.txt', 'héllo\nworld');
    expect(await sandbox.readFile('/tmp/sdk-files/deep/a.txt')).toBe('héllo\nworld');
    await expect(sandbox.readFile('/tmp/sdk-files/missing.txt')).rejects.toBeInstanceOf(BadRequestError);
  });

  it("ROCK's SDK forms: writeFile({ path, content }) and readFile({ path }) → { content }", async () => {
    await sandbox.writeFile({ path: '/tmp/sdk-files/rock-form/b.txt', content: 'ünïcode' });
    expect(await sandbox.readFile({ path: '/tmp/sdk-files/rock-form/b.txt' })).toEqual({ content: 'ünïcode' });
  });

  it('uploadDir/downloadDir copy a tree through tar', async () => {
    const source = join(scratch, 'tree');
    await mkdir(join(source, 'sub'), { recursive: true });
    await writeFile(join(source, 'top.txt'), 'top');
    await writeFile(join(source, 'sub', 'inner.txt'), 'inner');
    await sandbox.uploadDir(source, '/tmp/sdk-tree');
    expect(await sandbox.readFile('/tmp/sdk-tree/sub/inner.txt')).toBe('inner');
    const back = join(scratch, 'tree-back');
    await sandbox.downloadDir('/tmp/sdk-tree', back);
    expect(await readFile(join(back, 'top.txt'), 'utf8')).toBe('top');
    expect(await readFile(join(back, 'sub', 'inner.txt'), 'utf8')).toBe('inner');
  });

  it('download of a missing file is a BadRequestError and writes nothing', async () => {
    const target = join(scratch, 'never.bin');
    await expect(sandbox.download('/tmp/sdk-nope.bin', target)).rejects.toBeInstanceOf(BadRequestError);
    await expect(readFile(target)).rejects.toThrow();
  });
});

describe('errors', () => {
  it('maps envelope failures to typed errors', async () => {
    const unknown = await Sandbox.attach('sdk-does-not-exist', { baseUrl: server.baseUrl }).getStatus().catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(BadRequestError);
    expect((unknown as RockError).code).toBe(4000);
    expect((unknown as Error).message).toContain('sdk-does-not-exist');
    const invalid = await new Sandbox({ baseUrl: server.baseUrl, image: 'rock-test-bash:latest', cpus: -1, memory: 'lots' }).start().catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(BadRequestError);
    expect((invalid as Error).message).toMatch(/cpus/);
    expect((invalid as Error).message).toMatch(/memory/);
    await expect(new Sandbox({ baseUrl: server.baseUrl }).start()).rejects.toThrow('image: is required');
    expect(() => new Sandbox().sandboxId).toThrow(BadRequestError);
  });

  it('an unreachable server is an InternalError after bounded retries', async () => {
    const started = Date.now();
    const error = await Sandbox.attach('x', { baseUrl: 'http://127.0.0.1:9', retries: 2 }).getStatus().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as Error).message).toMatch(/cannot reach the ROCK server/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a command past its timeout ends the call; a silent server is an InternalError at the request deadline', async () => {
    const started = Date.now();
    const outcome = await sandbox.execute({ command: 'sleep 30', timeout: 1 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(outcome instanceof RockError || (outcome as { exitCode: number | null }).exitCode !== 0).toBe(true);
    const silent = createServer(() => undefined); // accepts connections, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const error = await Sandbox.attach('x', { baseUrl: `http://127.0.0.1:${port}`, requestTimeoutMs: 300, retries: 1 }).getStatus().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalError);
      expect((error as Error).message).toMatch(/no answer within 300 ms/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe('groups and GEM', () => {
  it('SandboxGroup starts size sandboxes with bounded concurrency and stops them', async () => {
    const group = new SandboxGroup({ baseUrl: server.baseUrl, image: 'rock-test-bash:latest', size: 3, concurrency: 2, metadata: { suite: 'sdk-group' } });
    const members = await group.start();
    created.push(...members);
    expect(new Set(members.map((m) => m.sandboxId)).size).toBe(3);
    const outputs = await Promise.all(members.map((m) => m.execute({ command: 'echo ok' })));
    expect(outputs.map((o) => o.stdout)).toEqual(['ok\n', 'ok\n', 'ok\n']);
    await group.stop();
    const page = await new RockClient({ baseUrl: server.baseUrl }).listSandboxes({ metadata: { suite: 'sdk-group' } });
    expect(page.items).toEqual([]);
    expect(() => new SandboxGroup({ size: 0 })).toThrow('size: must be an integer >= 1');
  });

  it('make → reset → step plays GuessTheNumber to the end by bisection; close stops the env sandbox', async () => {
    expect(await listEnvs({ baseUrl: server.baseUrl })).toContain('game:GuessTheNumber-v0-easy');
    const env = await make('game:GuessTheNumber-v0-easy', { baseUrl: server.baseUrl });
    try {
      const [observation] = await env.reset(7);
      const range = /between (\d+) and (\d+)/.exec(observation);
      let [lo, hi] = [Number(range?.[1]), Number(range?.[2])];
      let outcome: [string, number, boolean, boolean, Record<string, unknown>] = ['', 0, false, false, {}];
      for (let turn = 0; turn < 20 && !outcome[2] && !outcome[3]; turn += 1) {
        const guess = Math.floor((lo + hi) / 2);
        outcome = await env.step(`\\boxed{${guess}}`);
        if (outcome[0].includes('higher')) lo = guess + 1;
        if (outcome[0].includes('lower')) hi = guess - 1;
      }
      expect(outcome[0]).toMatch(/^Congratulations!/);
      expect(outcome[1]).toBe(1);
      expect(outcome[2]).toBe(true);
    } finally {
      await env.close();
    }
    expect(await Sandbox.attach(env.sandboxId, { baseUrl: server.baseUrl }).isAlive()).toBe(false);
    const unknown = await make('game:NoSuchGame-v0', { baseUrl: server.baseUrl }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(BadRequestError);
    expect((unknown as RockError).httpStatus).toBe(400);
  });
});
