import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '@rock/testing';
import { rockletForSuite } from './rocklet-suite';

// What a user scripting an agent against a session sees: `$?` (and bash's PIPESTATUS) as if the
// calls had been typed one after another into one interactive shell, `env_enable`, and a busy
// session's answer. Bash and a POSIX sh (busybox ash, as in libc-free images) alike.
type Run = { output: string; exit_code: number | null };
type RockletErr = { rockletexception: { message: string; class_path: string; extra_info: Record<string, unknown> } };

const scratch = mkdtempSync(join(tmpdir(), 'rocklet-semantics-'));
symlinkSync('/bin/busybox', join(scratch, 'sh'));
const shells: Array<[string, string]> = [
  ['bash', '/bin/bash'],
  ['busybox sh', join(scratch, 'sh')],
];
const IMAGE_VAR = 'SEMANTICS_IMAGE_VAR'; // not ROCKLET_*: those are the rocklet's own, never passed on
const MARKER = `ROCK_LOCAL_SANDBOX=semantics-${process.pid}/sb`;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(shells)('session semantics with %s', (label, shell) => {
  const slug = label.replace(' ', '-');
  const rocklet = rockletForSuite({
    env: {
      ROCKLET_SHELL: shell,
      ROCKLET_WORK_DIR: join(scratch, `work-${slug}`),
      [IMAGE_VAR]: 'from-the-image',
      [MARKER.split('=')[0]!]: MARKER.split('=')[1]!,
    },
  });
  let counter = 0;
  const newSession = async (extra: Record<string, unknown> = {}): Promise<string> => {
    counter += 1;
    const name = `sem-${counter}`;
    const res = await rocklet.post('/create_session', { session: name, ...extra });
    expect(res.status).toBe(200);
    return name;
  };
  const run = (session: string, command: string, extra: Record<string, unknown> = {}) =>
    rocklet.post<Run & RockletErr>('/run_in_session', { session, command, check: 'silent', timeout: 10, ...extra });
  const output = async (session: string, command: string): Promise<string> => (await run(session, command)).body.output;

  describe('$? across calls', () => {
    it('is the status of the previous call, as typed into one shell', async () => {
      const s = await newSession();
      expect(await output(s, 'echo "first $?"')).toBe('first 0');
      expect((await run(s, 'false')).body.exit_code).toBe(1);
      expect(await output(s, 'echo $?')).toBe('1');
      expect(await output(s, 'echo $?')).toBe('0');
      await run(s, '(exit 7)');
      expect(await output(s, 's=$?\necho "saved $s"')).toBe('saved 7');
    });

    it('survives a call that check: "raise" turned into an error', async () => {
      const s = await newSession();
      expect((await run(s, 'echo partial; (exit 3)', { check: 'raise' })).status).toBe(511);
      expect(await output(s, 'echo "$?"')).toBe('3');
    });

    it('is 130 after a command interrupted at its timeout', async () => {
      const s = await newSession();
      expect((await run(s, 'sleep 30', { timeout: 1 })).status).toBe(504);
      expect(await output(s, 'echo "after $?"')).toBe('after 130');
    });

    it('is the exit status of an interactive program after is_interactive_quit', async () => {
      const s = await newSession();
      const asked = await run(s, 'printf "code? "; read code; (exit $code)', { is_interactive_command: true, expect: ['code? '] });
      expect(asked.body).toMatchObject({ expect_string: 'code? ' });
      expect((await run(s, '6', { is_interactive_quit: true })).body.exit_code).toBe(6);
      expect(await output(s, 'echo $?')).toBe('6');
    });

    it('does not kill a set -e shell when restoring a status errexit ignored', async () => {
      const s = await newSession();
      await run(s, 'set -e');
      expect((await run(s, 'false && true')).body.exit_code).toBe(1);
      expect(await output(s, 'echo "$? alive"; case $- in *e*) echo errexit-on;; esac')).toBe('1 alive\nerrexit-on');
      // A failing command under set -e ends an interactive shell; so it does here.
      expect((await run(s, 'false')).body.rockletexception.class_path).toBe('rocklet.SessionDied');
    });

    it('works with set -u, set -x, a trailing backslash and an unterminated heredoc', async () => {
      const s = await newSession();
      await run(s, 'set -u; (exit 2)');
      expect(await output(s, 'echo "nounset $?"')).toBe('nounset 2');
      await run(s, 'set +u; set -x');
      const traced = await run(s, 'echo traced; (exit 5)');
      expect(traced.body.exit_code).toBe(5);
      expect(traced.body.output).toContain('traced');
      expect(traced.body.output).not.toContain('__rock');
      await run(s, 'set +x');
      expect((await run(s, 'echo joined \\')).body).toMatchObject({ output: 'joined', exit_code: 0 });
      const heredoc = await run(s, 'cat <<EOF\nbody line');
      expect(heredoc.body.output).toContain('body line');
      expect(heredoc.body.output).not.toContain('__rock');
      expect(await output(s, 'echo "still $?"')).toBe('still 0');
    });
  });

  it('recovers when a command removes the protocol function or replaces the shell', async () => {
    const s = await newSession();
    await run(s, 'unset -f __rock_done');
    expect((await run(s, '(exit 3)')).body.exit_code).toBe(3);
    expect(await output(s, 'echo "$? ok"')).toBe('3 ok');
    await run(s, `exec ${shell}${label === 'bash' ? ' --norc' : ''} -i`);
    expect((await run(s, 'echo replaced; (exit 4)')).body).toMatchObject({ output: 'replaced', exit_code: 4 });
    expect(await output(s, 'echo $?')).toBe('4');
  });

  if (label === 'bash') {
    it('keeps PIPESTATUS of the last pipeline across calls', async () => {
      const s = await newSession();
      expect((await run(s, 'false | (exit 3) | true')).body.exit_code).toBe(0);
      expect(await output(s, 'echo "${PIPESTATUS[*]} $?"')).toBe('1 3 0 0');
      await run(s, 'set -o pipefail; (exit 4) | true');
      expect(await output(s, 'echo "${PIPESTATUS[*]} $?"')).toBe('4 0 4');
      await run(s, 'true | true');
      expect(await output(s, 'echo "${PIPESTATUS[*]} $?"')).toBe('0 0 0');
      await run(s, '(exit 2)');
      expect(await output(s, 'echo "${PIPESTATUS[*]}"')).toBe('2');
    });
  }

  describe('env_enable', () => {
    it('without it, the shell keeps the image environment (never the token) under the request env', async () => {
      const s = await newSession({ env: { FROM_REQUEST: 'req' } });
      expect(await output(s, `echo "\${${IMAGE_VAR}-unset} \${ROCKLET_TOKEN-no-token} $FROM_REQUEST $HOME"`)).toBe(
        `from-the-image no-token req ${process.env.HOME}`,
      );
      expect((await run(s, 'command -v sh >/dev/null && echo found')).body.output).toBe('found');
    });

    it('with it, the shell inherits the environment the rocklet runs in (never the token); env wins', async () => {
      const s = await newSession({ env_enable: true });
      expect(await output(s, `echo "\${${IMAGE_VAR}-unset} \${ROCKLET_TOKEN-no-token}"`)).toBe('from-the-image no-token');
      const o = await newSession({ env_enable: true, env: { [IMAGE_VAR]: 'from-request' } });
      expect(await output(o, `echo "$${IMAGE_VAR}"`)).toBe('from-request');
    });

    it('keeps the ROCK_* markers in the env of processes a session starts (how a local sandbox finds them)', async () => {
      const s = await newSession();
      const pid = Number(await output(s, 'sleep 300 & echo $!'));
      try {
        expect(readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0')).toContain(MARKER);
      } finally {
        process.kill(pid, 'SIGKILL');
      }
    });
  });

  describe('a session busy with another call', () => {
    it('refuses a second call naming the session, the running command and what to do; the timeout frees it', async () => {
      const s = await newSession();
      const flag = join(scratch, `busy-${slug}`);
      const first = run(s, `: > ${flag}; sleep 30`, { timeout: 2 });
      expect(await waitUntil(() => existsSync(flag), 5000)).toBe(true);
      const busy = await run(s, 'echo too-early');
      expect(busy.status).toBe(511);
      const err = busy.body.rockletexception;
      expect(err.class_path).toBe('rocklet.SessionBusy');
      expect(err.message).toContain(`session '${s}' is busy`);
      expect(err.message).toContain('sleep 30');
      expect(err.message).toMatch(/interrupted at its timeout in \d+\.\d s/);
      expect(err.message).toMatch(/wait for that call to return.*another session/);
      expect(err.extra_info).toMatchObject({ session: s, running_command: `: > ${flag}; sleep 30` });
      expect((await first).status).toBe(504);
      expect((await run(s, 'echo free; echo "$?"')).body).toMatchObject({ output: 'free\n0', exit_code: 0 });
    });
  });
});
