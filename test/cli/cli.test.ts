import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteRedisKeys, freePort, runToEnd, type ProcessRun, type RunToEndOptions } from '@rock/testing';
import { buildDist, isolatedEnv, ROCK_BIN, startLocalServer, type LocalServer } from '../client/local-server.fixture';

// The built `rock` binary as a user runs it, against local mode (local runtime) started as a real process.
jest.setTimeout(180_000);

let server: LocalServer;
let scratch: string;
const live = new Set<string>();

/** Runs `bin/rock` with a deadline; `input` is written to stdin. */
function rock(args: string[], options: RunToEndOptions = {}): Promise<ProcessRun> {
  const env = { ROCK_BASE_URL: server?.baseUrl ?? '', ...options.env };
  return runToEnd(process.execPath, [ROCK_BIN, ...args], { ...options, env });
}

beforeAll(async () => {
  buildDist();
  server = await startLocalServer('local', 'cli');
  scratch = await mkdtemp(join(tmpdir(), 'rock-cli-test-'));
});

afterAll(async () => {
  for (const id of live) await rock(['sandbox', 'stop', id]);
  if (server) expect(await server.stop()).toBe(0);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

it('--help lists the command groups and exits 0', async () => {
  const help = await rock(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/admin[\s\S]*sandbox[\s\S]*gem/);
  const sub = await rock(['sandbox', 'cp', '--help']);
  expect(sub.code).toBe(0);
  expect(sub.stdout).toContain('<id>:/path');
});

it('create → exec → cp both ways → list --json → status → stop', async () => {
  const created = await rock(['--progress', 'sandbox', 'create', '--image', 'rock-test-bash:latest', '--metadata', 'suite=cli', '--env', 'GREETING=hello']);
  expect(created.code).toBe(0);
  const id = created.stdout.trim();
  live.add(id);
  expect(id).toMatch(/^[a-z0-9-]+$/);
  expect(created.stderr).toContain(`starting ${id}: running`);

  const exec = await rock(['sandbox', 'exec', id, 'echo $GREETING; echo to-stderr >&2; exit 5']);
  expect(exec).toEqual({ code: 5, stdout: 'hello\n', stderr: 'to-stderr\n' });
  const argv = await rock(['sandbox', 'exec', '--json', id, '--', 'printf', '%s', 'a b']);
  expect(JSON.parse(argv.stdout)).toEqual({ stdout: 'a b', stderr: '', exitCode: 0 });

  const local = join(scratch, 'up.txt');
  await writeFile(local, 'payload from the host\n'.repeat(1000));
  const up = await rock(['--progress', 'sandbox', 'cp', local, `${id}:/tmp/cli/up.txt`]);
  expect(up.code).toBe(0);
  expect(up.stderr).toMatch(/upload .* 100% /);
  const back = join(scratch, 'down', 'back.txt');
  const down = await rock(['sandbox', 'cp', `${id}:/tmp/cli/up.txt`, back]);
  expect(down).toMatchObject({ code: 0, stderr: '' }); // no TTY, no --progress: quiet
  expect(await readFile(back, 'utf8')).toBe(await readFile(local, 'utf8'));

  const list = await rock(['sandbox', 'list', '--json', '--metadata', 'suite=cli']);
  expect(list.code).toBe(0);
  expect((JSON.parse(list.stdout) as { items: { sandbox_id: string }[] }).items.map((s) => s.sandbox_id)).toEqual([id]);
  const table = await rock(['sandbox', 'list']);
  expect(table.stdout).toMatch(new RegExp(`^SANDBOX\\s+STATE\\s+IMAGE[\\s\\S]*${id}\\s+running`, 'm'));
  const status = await rock(['sandbox', 'status', '--json', id]);
  expect(JSON.parse(status.stdout)).toMatchObject({ sandbox_id: id, state: 'running', metadata: { suite: 'cli' } });

  const stop = await rock(['sandbox', 'stop', id]);
  expect(stop).toEqual({ code: 0, stdout: `${id} stopped\n`, stderr: '' });
  live.delete(id);
  expect((await rock(['sandbox', 'status', id])).stdout).toMatch(/state\s+stopped/);
});

it('shell runs stdin lines in one persistent session (line mode) and exits with the last exit code', async () => {
  const id = (await rock(['sandbox', 'create', '--image', 'rock-test-bash:latest'])).stdout.trim();
  live.add(id);
  const shell = await rock(['sandbox', 'shell', id], { input: 'cd /tmp\nexport N=6\necho $((N*7)) $PWD\n(exit 3)\n' });
  expect(shell.stdout).toBe('42 /tmp\n');
  expect(shell.code).toBe(3);
  await rock(['sandbox', 'stop', id]);
  live.delete(id);
});

it('errors are one clear line and a non-zero exit code', async () => {
  const missing = await rock(['sandbox', 'status', 'cli-no-such-sandbox']);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toBe('rock: get sandbox status failed: Sandbox cli-no-such-sandbox not found [BadRequestError 4000]\n');
  const invalid = await rock(['sandbox', 'create', '--image', 'rock-test-bash:latest', '--memory', 'lots']);
  expect(invalid.code).toBe(1);
  expect(invalid.stderr).toMatch(/^rock: .*memory.*\n$/);
  const usage = await rock(['sandbox', 'create']);
  expect(usage.code).not.toBe(0);
  expect(usage.stderr).toContain("required option '--image <image>' not specified");
  const badPair = await rock(['sandbox', 'create', '--image', 'x', '--env', 'NOEQUALS']);
  expect(badPair.code).not.toBe(0);
  expect(badPair.stderr).toContain('"NOEQUALS" is not KEY=VALUE');
  const down = await rock(['--base-url', 'http://127.0.0.1:9', 'sandbox', 'list']);
  expect(down.code).toBe(1);
  expect(down.stderr).toMatch(/^rock: .*cannot reach the ROCK server.*\n$/);
});

it('gem list and gem play (actions from stdin; the env sandbox is closed at the end)', async () => {
  const list = await rock(['gem', 'list', '--json']);
  expect((JSON.parse(list.stdout) as { env_id: string[] }).env_id).toContain('game:GuessTheNumber-v0-easy');
  const play = await rock(['gem', 'play', 'game:GuessTheNumber-v0-easy', '--seed', '3', '--json'], { input: '\\boxed{1}\nnot a guess\n' });
  expect(play.code).toBe(0);
  const lines = play.stdout.trim().split('\n').map((line) => JSON.parse(line) as { observation: string; reward?: number; terminated?: boolean });
  expect(lines[0]?.observation).toContain('Guess The Number');
  expect(lines.length).toBeGreaterThanOrEqual(2);
  expect(lines[lines.length - 1]?.terminated).toBe(true); // the invalid guess ends the episode
  const after = await rock(['sandbox', 'list', '--json']);
  const items = (JSON.parse(after.stdout) as { items: { image: string }[] }).items;
  expect(items.filter((s) => s.image !== 'rock-test-bash:latest')).toEqual([]);
});

it('admin start --background serves until admin stop', async () => {
  const port = await freePort();
  const env = isolatedEnv('cli-bg');
  const pidFile = join(scratch, 'bg.pid');
  const started = await rock(['admin', 'start', '--background', '--port', String(port), '--runtime', 'local', '--pid-file', pidFile, '--log-file', join(scratch, 'bg.log')], { env });
  expect(started.code).toBe(0);
  expect(started.stdout).toContain(`on http://127.0.0.1:${port}`);
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(health.status).toBe(200);
  const again = await rock(['admin', 'start', '--port', String(port), '--pid-file', pidFile], { env });
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/already runs/);
  const stopped = await rock(['admin', 'stop', '--pid-file', pidFile]);
  expect(stopped.code).toBe(0);
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  await deleteRedisKeys([`${env.ROCK_REDIS_PREFIX}*`, `${env.ROCK_QUEUE_PREFIX}*`]);
  const none = await rock(['admin', 'stop', '--pid-file', pidFile]);
  expect(none.code).toBe(1);
  expect(none.stderr).toContain('no local-mode server recorded');
});
