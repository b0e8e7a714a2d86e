import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive, startRocklet, waitUntil, type RockletProcess } from '@rock/testing';

type Exec = { stdout: string; stderr: string; exit_code: number | null; truncated?: boolean };
type RockletErr = { rockletexception: { message: string; class_path: string } };

describe('rocklet execute', () => {
  let rocklet: RockletProcess;
  let scratch: string;
  const exec = (body: Record<string, unknown>) => rocklet.post<Exec & RockletErr & { detail: string }>('/execute', { sandbox_id: 'x', ...body });

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'rocklet-exec-'));
    rocklet = await startRocklet({ env: { ROCKLET_MAX_OUTPUT_BYTES: String(1024 * 1024), SECRET_PARENT: 'visible' } });
  });
  afterAll(async () => {
    await rocklet?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs an argv array without a shell', async () => {
    const res = await exec({ command: ['printf', '%s|', 'a b', '$HOME', '*'] });
    expect(res).toEqual({ status: 200, body: { stdout: 'a b|$HOME|*|', stderr: '', exit_code: 0 } });
  });

  it('runs a string through /bin/sh -c only with shell: true', async () => {
    const res = await exec({ command: 'echo out; echo err >&2; exit 3', shell: true });
    expect(res.body).toEqual({ stdout: 'out\n', stderr: 'err\n', exit_code: 3 });
    const noShell = await exec({ command: 'echo hi' });
    expect(noShell.status).toBe(511);
    expect(noShell.body.rockletexception.class_path).toBe('rocklet.CommandNotFound');
    expect(noShell.body.rockletexception.message).toMatch(/shell: true/);
    expect((await exec({ command: 'pwd' })).body.exit_code).toBe(0);
  });

  it('honours cwd and env, and never leaks ROCKLET_TOKEN', async () => {
    const res = await exec({ command: 'pwd; echo "$EXTRA $SECRET_PARENT [$ROCKLET_TOKEN]"', shell: true, cwd: scratch, env: { EXTRA: 'e' } });
    expect(res.body.stdout).toBe(`${scratch}\ne visible []\n`);
    const bad = await exec({ command: ['true'], cwd: join(scratch, 'missing') });
    expect(bad.body.rockletexception.message).toMatch(/^cwd: directory .* does not exist/);
  });

  it('reports a signal death as 128 + signal and a missing program clearly', async () => {
    expect((await exec({ command: ['sh', '-c', 'kill -9 $$'] })).body).toMatchObject({ exit_code: 137 });
    const missing = await exec({ command: ['no-such-program-xyz', '--flag'] });
    expect(missing.body.rockletexception).toEqual({
      class_path: 'rocklet.CommandNotFound',
      message: 'command "no-such-program-xyz": not found',
      extra_info: { errno: 'ENOENT' },
    });
  });

  it('passes unicode and binary-unsafe bytes through as UTF-8 text', async () => {
    expect((await exec({ command: ['printf', 'héllo 🌍\n'] })).body.stdout).toBe('héllo 🌍\n');
  });

  it('raises on a non-zero exit with check: true', async () => {
    const res = await exec({ command: ['sh', '-c', 'echo bad; exit 2'], check: true, error_msg: 'build' });
    expect(res.status).toBe(511);
    expect(res.body.rockletexception).toMatchObject({ class_path: 'rocklet.NonZeroExitCodeError' });
    expect(res.body.rockletexception.message).toMatch(/^build: command failed with exit code 2/);
  });

  it('kills the whole process group at the timeout and answers 504', async () => {
    const pidFile = join(scratch, 'child.pid');
    const started = Date.now();
    const res = await exec({ command: `sleep 300 & echo $! > ${pidFile}; sleep 300`, shell: true, timeout: 1 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(504);
    expect(res.body.detail).toMatch(/timed out after 1 s; its process group was killed/);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(await waitUntil(() => !processAlive(grandchild), 2000)).toBe(true);
  });

  it('validates the request and names every bad field', async () => {
    const res = await exec({ command: [], timeout: -1, shell: 'yes' });
    expect(res.body.rockletexception.class_path).toBe('rocklet.InvalidParameter');
    expect(res.body.rockletexception.message).toMatch(/command: .*shell: .*timeout: /s);
  });

  it('caps 200 MB of output to head+tail with truncated: true and bounded rocklet memory', async () => {
    // 200 MiB of 'x' lines on stdout, a marker at both ends.
    const cmd = "echo FIRST; head -c 209715200 /dev/zero | tr '\\0' x; echo; echo LAST";
    const res = await exec({ command: cmd, shell: true, timeout: 120 });
    expect(res.status).toBe(200);
    expect(res.body.truncated).toBe(true);
    expect(res.body.stdout.startsWith('FIRST\nxxx')).toBe(true);
    expect(res.body.stdout.endsWith('xxx\nLAST\n')).toBe(true);
    expect(res.body.stdout).toMatch(/\[\.\.\. \d+ bytes truncated \.\.\.\]/);
    expect(Buffer.byteLength(res.body.stdout)).toBeLessThan(1024 * 1024 + 100);
    const peak = rocklet.peakRssBytes();
    expect(peak).toBeLessThan(200 * 1024 * 1024);
    process.stdout.write(`rocklet VmHWM after 200 MB execute output: ${(peak / 1048576).toFixed(1)} MiB\n`);
  }, 120_000);

  it('caps session output too', async () => {
    await rocklet.post('/create_session', { session: 'big' });
    const res = await rocklet.post<{ output: string; truncated?: boolean; exit_code: number }>('/run_in_session', {
      session: 'big',
      command: "head -c 20000000 /dev/zero | tr '\\0' y; echo; echo END",
      timeout: 60,
    });
    expect(res.body).toMatchObject({ truncated: true, exit_code: 0 });
    expect(res.body.output.endsWith('END')).toBe(true);
    expect(Buffer.byteLength(res.body.output)).toBeLessThan(1024 * 1024 + 100);
  }, 60_000);
});
