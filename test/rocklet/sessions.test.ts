import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive, waitUntil } from '@rock/testing';
import { rockletForSuite } from './rocklet-suite';

type Run = { session_type: string; output: string; exit_code: number | null; failure_reason: string; expect_string: string };
type RockletErr = { rockletexception: { message: string; class_path: string } };

// The same session contract must hold for bash and for a POSIX sh (busybox ash, as in
// libc-free images): the busybox binary is linked as `sh` so it runs as the ash applet.
const scratch = mkdtempSync(join(tmpdir(), 'rocklet-sessions-'));
symlinkSync('/bin/busybox', join(scratch, 'sh'));
chmodSync(scratch, 0o755); // remote_user sessions must be able to exec the linked shell
const shells: Array<[string, string]> = [
  ['bash', '/bin/bash'],
  ['busybox sh', join(scratch, 'sh')],
];

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('rocklet sessions with an interactive interpreter (python3 -i)', () => {
  const rocklet = rockletForSuite({ env: { ROCKLET_SHELL: '/bin/bash' } });

  it('drives the REPL with expect and quits back to the shell', async () => {
    await rocklet.post('/create_session', { session: 'py' });
    const step = (command: string, extra: Record<string, unknown>) =>
      rocklet.post<Run>('/run_in_session', { session: 'py', command, timeout: 10, ...extra });
    expect((await step('python3 -i -q', { is_interactive_command: true, expect: ['>>> '] })).body.expect_string).toBe('>>> ');
    const sum = await step('print(6 * 7)', { is_interactive_command: true, expect: ['>>> '] });
    expect(sum.body).toMatchObject({ output: '42', expect_string: '>>> ' });
    const quit = await step('exit(5)', { is_interactive_quit: true, check: 'silent' });
    expect(quit.body).toMatchObject({ exit_code: 5 });
    expect((await step('echo shell-again', {})).body.output).toBe('shell-again');
  });
});

describe.each(shells)('rocklet sessions with %s', (_label, shell) => {
  const rocklet = rockletForSuite({ env: { ROCKLET_SHELL: shell, ROCKLET_WORK_DIR: join(scratch, `work-${_label.replace(' ', '-')}`) } });
  let counter = 0;
  const run = (session: string, command: string, extra: Record<string, unknown> = {}) =>
    rocklet.post<Run & RockletErr>('/run_in_session', { sandbox_id: 'ignored', session, command, ...extra });
  const newSession = async (extra: Record<string, unknown> = {}): Promise<string> => {
    counter += 1;
    const name = `s${counter}`;
    const res = await rocklet.post('/create_session', { session: name, session_type: 'bash', ...extra });
    expect(res).toEqual({ status: 200, body: { output: expect.any(String), session_type: 'bash' } });
    return name;
  };


  it('returns output and exit code, with strict types (strings never null)', async () => {
    const s = await newSession();
    const res = await run(s, 'echo hello; echo err >&2', { check: 'silent' });
    expect(res).toEqual({
      status: 200,
      body: { session_type: 'bash', output: 'hello\nerr', exit_code: 0, failure_reason: '', expect_string: '' },
    });
  });

  it('implements the three check modes', async () => {
    const s = await newSession();
    expect((await run(s, '(exit 3)', { check: 'silent' })).body.exit_code).toBe(3);
    expect((await run(s, '(exit 3)', { check: 'ignore' })).body.exit_code).toBeNull();
    const raised = await run(s, 'echo partial; (exit 4)', { check: 'raise', error_msg: 'step failed' });
    expect(raised.status).toBe(511);
    expect(raised.body.rockletexception.class_path).toBe('rocklet.NonZeroExitCodeError');
    expect(raised.body.rockletexception.message).toContain('step failed: command failed with exit code 4');
    expect(raised.body.rockletexception.message).toContain('partial');
  });

  it('keeps cd and exported variables between commands', async () => {
    const s = await newSession();
    await run(s, `cd ${scratch} && export ROCK_T=42 && PLAIN=7`);
    expect((await run(s, 'pwd; echo "$ROCK_T $PLAIN"; sh -c \'echo child=$ROCK_T\'')).body.output).toBe(`${scratch}\n42 7\nchild=42`);
  });

  it('runs multi-line commands, heredocs and quotes', async () => {
    const s = await newSession();
    const cmd = `x=1\nif [ "$x" = 1 ]; then\n  echo "one 'quoted'"\nfi\ncat <<'EOF'\n$not_expanded\n  indented\nEOF\necho done`;
    expect((await run(s, cmd)).body).toMatchObject({ output: "one 'quoted'\n$not_expanded\n  indented\ndone", exit_code: 0 });
  });

  it('reports a syntax error quickly and clearly, and the session still works', async () => {
    const s = await newSession();
    const started = Date.now();
    const res = await run(s, 'if then fi (');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(511);
    expect(res.body.rockletexception.class_path).toBe('rocklet.BashSyntaxError');
    expect(res.body.rockletexception.message).toMatch(/syntax error/);
    expect((await run(s, 'echo fine')).body.output).toBe('fine');
  });

  it('interrupts a command at its timeout and the session stays usable', async () => {
    const s = await newSession();
    await run(s, 'cd /; export KEEP=yes');
    const started = Date.now();
    const res = await rocklet.post<{ detail: string }>('/run_in_session', { session: s, command: 'sleep 30', timeout: 1 });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(res.status).toBe(504);
    expect(res.body.detail).toMatch(/timed out after 1 s/);
    expect((await run(s, 'echo "$KEEP $(pwd)"')).body).toMatchObject({ output: 'yes /', exit_code: 0 });
  });

  it('interrupts a command that ignores SIGINT by killing the foreground process group', async () => {
    const s = await newSession();
    const started = Date.now();
    const res = await rocklet.post('/run_in_session', { session: s, command: "trap '' INT; sleep 30", timeout: 1 });
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await run(s, 'echo alive')).body.output).toBe('alive');
  });

  it('recovers from a full-screen program killed at the timeout (terminal reset, output clean)', async () => {
    const s = await newSession();
    const res = await rocklet.post('/run_in_session', { session: s, command: `busybox vi ${join(scratch, 'vi-target')}`, timeout: 1 });
    expect(res.status).toBe(504);
    expect((await run(s, 'echo clean; (exit 4)', { check: 'silent' })).body).toMatchObject({ output: 'clean', exit_code: 4 });
  });

  it('does not hang on a background job', async () => {
    const s = await newSession();
    const started = Date.now();
    const res = await run(s, 'sleep 20 & echo started');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.body.output).toContain('started');
    expect((await run(s, 'echo next')).body.output).toBe('next');
    await run(s, 'kill %1 2>/dev/null; true');
  });

  it('answers an interactive program through expect', async () => {
    const s = await newSession();
    const asked = await run(s, 'printf "name? "; read answer; echo "got $answer"', {
      is_interactive_command: true,
      expect: ['name? '],
      timeout: 5,
    });
    expect(asked.body).toMatchObject({ expect_string: 'name? ', exit_code: 0 });
    const done = await run(s, 'bob', { is_interactive_quit: true, timeout: 5 });
    expect(done.body).toMatchObject({ output: 'got bob', exit_code: 0, expect_string: '' });
    expect((await run(s, 'echo back')).body.output).toBe('back');
  });

  it('returns an empty expect_string (not an error) when nothing expected shows up in time', async () => {
    const s = await newSession();
    const res = await run(s, 'read nothing', { is_interactive_command: true, expect: ['never'], timeout: 1 });
    expect(res.body).toMatchObject({ expect_string: '', output: '' });
    expect((await run(s, '', { is_interactive_quit: true, timeout: 5 })).status).toBe(200);
  });

  it('passes unicode through', async () => {
    const s = await newSession();
    expect((await run(s, "printf 'héllo 🌍 日本語\\n'")).body.output).toBe('héllo 🌍 日本語');
  });

  it('runs two sessions at the same time and rejects a second command on a busy session', async () => {
    const [a, b] = [await newSession(), await newSession()];
    const flag = (name: string) => join(scratch, `${_label.replace(' ', '-')}-${name}-${counter}`);
    // Each command waits for the other to have started: both finish only if they overlap.
    const meet = (mine: string, other: string, word: string) =>
      `: > ${mine}; i=0; while [ ! -e ${other} ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; [ -e ${other} ] && echo ${word}`;
    const first = run(a, meet(flag('a'), flag('b'), 'A'), { timeout: 10 });
    const deadline = Date.now() + 5000;
    while (!existsSync(flag('a')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const busy = await run(a, 'echo too-early');
    expect(busy.status).toBe(511);
    expect(busy.body.rockletexception).toMatchObject({ class_path: 'rocklet.SessionBusy' });
    const [ra, rb] = await Promise.all([first, run(b, meet(flag('b'), flag('a'), 'B'), { timeout: 10 })]);
    expect([ra.body, rb.body]).toMatchObject([
      { output: 'A', exit_code: 0 },
      { output: 'B', exit_code: 0 },
    ]);
  });

  it('accepts any non-empty session name (spaces, unicode)', async () => {
    const name = `my session ü ${_label}`;
    expect((await rocklet.post('/create_session', { session: name })).status).toBe(200);
    expect((await run(name, 'echo named')).body.output).toBe('named');
  });

  it('names unknown and duplicate sessions clearly', async () => {
    const missing = await run('no-such-session', 'echo');
    expect(missing.status).toBe(511);
    expect(missing.body.rockletexception).toMatchObject({
      class_path: 'rocklet.SessionNotFound',
      message: "session 'no-such-session' does not exist",
    });
    const s = await newSession();
    const dup = await rocklet.post<RockletErr>('/create_session', { session: s });
    expect(dup.body.rockletexception).toMatchObject({ class_path: 'rocklet.SessionExists', message: `session '${s}' already exists` });
  });

  it('applies env and startup_source at creation', async () => {
    const rc = join(scratch, `rc-${_label.replace(' ', '-')}`);
    writeFileSync(rc, 'FROM_RC=sourced\necho rc-loaded\n');
    const s = await newSession({ env: { GREETING: 'hi there' }, startup_source: [rc] });
    expect((await run(s, 'echo "$GREETING / $FROM_RC"')).body.output).toBe('hi there / sourced');
    expect(existsSync(rc)).toBe(true);
  });

  it('closes a session, after which it does not exist', async () => {
    const s = await newSession();
    expect(await rocklet.post('/close_session', { session: s, session_type: 'bash' })).toEqual({
      status: 200,
      body: { session_type: 'bash' },
    });
    expect((await run(s, 'echo')).body.rockletexception.class_path).toBe('rocklet.SessionNotFound');
  });

  it('hangs up jobs on close_session while nohup\'ed ones survive', async () => {
    const s = await newSession();
    const res = await run(s, 'sleep 300 & echo $!; nohup sleep 301 >/dev/null 2>&1 & echo $!');
    const [plain, nohuped] = res.body.output.split('\n').map(Number);
    expect(processAlive(plain) && processAlive(nohuped)).toBe(true);
    // nohup ignores SIGHUP only once it runs; wait until it has exec'd sleep.
    const execd = (pid: number) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep';
    expect(await waitUntil(() => execd(nohuped), 3000)).toBe(true);
    try {
      expect((await rocklet.post('/close_session', { session: s })).status).toBe(200);
      expect(await waitUntil(() => !processAlive(plain), 3000)).toBe(true);
      expect(processAlive(nohuped)).toBe(true);
    } finally {
      process.kill(nohuped, 'SIGKILL');
    }
  });

  it('reports a session whose shell exited', async () => {
    const s = await newSession();
    const res = await run(s, 'exit 0');
    expect(res.body.rockletexception.class_path).toBe('rocklet.SessionDied');
    expect((await run(s, 'echo')).body.rockletexception.class_path).toBe('rocklet.SessionNotFound');
  });

  it('runs a command far longer than the terminal line limit (staged script, not typed)', async () => {
    const s = await newSession();
    const body = 'x'.repeat(200_000);
    const res = await run(s, `cat <<'EOF' | wc -c\n${body}\nEOF`);
    expect(res.body).toMatchObject({ exit_code: 0 });
    expect(res.body.output.trim()).toBe('200001');
  });

  it('keeps output clean when the image has no stty (echo cannot be turned off)', async () => {
    const s = await newSession({ env: { PATH: '/nonexistent' } });
    expect((await run(s, 'cd /; X=5')).body.output).toBe('');
    expect((await run(s, 'echo "$X $(pwd)"; (exit 2)', { check: 'silent' })).body).toMatchObject({ output: '5 /', exit_code: 2 });
  });

  it('survives commands and rc files that change PS1 or set PROMPT_COMMAND', async () => {
    const rc = join(scratch, `prompt-rc-${_label.replace(' ', '-')}`);
    writeFileSync(rc, "PS1='custom$ '\nPROMPT_COMMAND='echo noisy'\n");
    const s = await newSession({ startup_source: [rc] });
    expect((await run(s, 'echo one')).body.output).toBe('one');
    await run(s, "PS1='> '; PS2='... '");
    expect((await run(s, 'echo two')).body.output).toBe('two');
  });

  it('runs the shell as remote_user', async () => {
    const s = await newSession({ remote_user: 'nobody' });
    expect((await run(s, 'id -u; id -g')).body.output).toBe('65534\n65534');
    const missing = await rocklet.post<RockletErr>('/create_session', { session: `${s}-x`, remote_user: 'no-such-user' });
    expect(missing.body.rockletexception.message).toBe("remote_user: user 'no-such-user' does not exist in /etc/passwd");
  });

  it('validates requests and names every bad field', async () => {
    const res = await rocklet.post<RockletErr>('/run_in_session', { session: '', command: 5, check: 'maybe' });
    expect(res.status).toBe(511);
    expect(res.body.rockletexception.class_path).toBe('rocklet.InvalidParameter');
    expect(res.body.rockletexception.message).toMatch(/session: .*command: .*check: /);
  });
});
