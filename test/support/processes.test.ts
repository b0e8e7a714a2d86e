import { spawn } from 'node:child_process';
import { markedProcesses, processAlive, runToEnd, waitUntil } from './processes';

describe('runToEnd', () => {
  it('passes input on stdin, adds env, and collects both streams with the exit code', async () => {
    const script = 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => { console.log(s.toUpperCase() + process.env.EXTRA); console.error("warn"); process.exit(3); });';
    const run = await runToEnd(process.execPath, ['-e', script], { input: 'abc', env: { EXTRA: '!' } });
    expect(run).toEqual({ code: 3, stdout: 'ABC!\n', stderr: 'warn\n' });
  });

  it('kills a command that outlives its deadline (code null) and rejects one that cannot be spawned', async () => {
    const started = Date.now();
    const run = await runToEnd('sleep', ['30'], { timeoutMs: 200 });
    expect(run.code).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(runToEnd('/nonexistent/rock-test-binary', [])).rejects.toThrow(/ENOENT/);
  });
});

describe('processAlive / waitUntil', () => {
  it('sees a child alive, then gone once it exits, within the deadline', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = child.pid as number;
    const exited = new Promise((r) => child.once('exit', r));
    expect(processAlive(pid)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    expect(await waitUntil(() => !processAlive(pid), 5_000)).toBe(true);
    expect(await waitUntil(() => false, 100, 10)).toBe(false);
  });
});

describe('markedProcesses', () => {
  it('finds cold and warm-pool sandbox processes of one instance only, and not once they exit', async () => {
    const instance = `marked-${process.pid}-${Date.now()}`;
    const start = (name: string, value: string) => spawn('sleep', ['30'], { env: { PATH: process.env.PATH, [name]: value }, stdio: 'ignore' });
    const cold = start('ROCK_LOCAL_SANDBOX', `${instance}/sb-1`);
    const warm = start('ROCK_LOCAL_WARM', `${instance}/slot-1`);
    const other = start('ROCK_LOCAL_SANDBOX', `${instance}-other/sb-1`);
    try {
      expect(await waitUntil(() => markedProcesses(instance).length === 2, 5_000)).toBe(true);
      expect(markedProcesses(instance).sort()).toEqual([cold.pid, warm.pid].sort());
      expect(markedProcesses(instance, ['ROCK_LOCAL_SANDBOX'])).toEqual([cold.pid]);
      warm.kill('SIGKILL');
      expect(await waitUntil(() => markedProcesses(instance).length === 1, 5_000)).toBe(true);
    } finally {
      for (const child of [cold, warm, other]) child.kill('SIGKILL');
    }
  });
});
