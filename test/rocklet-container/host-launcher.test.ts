/**
 * bin/rocklet, the bundle's POSIX sh launcher for hosts: starts the bundled node through the
 * bundled loader, and the commands rocklet runs see the host's own libc and no LD_LIBRARY_PATH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { rockletBundleDir } from '@rock/testing';

jest.setTimeout(60_000);

interface HostRocklet {
  child: ChildProcess;
  url: string;
}

/** Starts bin/rocklet on an OS-chosen loopback port; resolves with its URL once it logs ready. */
function startHostRocklet(token: string, deadlineMs = 20_000): Promise<HostRocklet> {
  const env: Record<string, string> = { PATH: '/usr/local/bin:/usr/bin:/bin', ROCKLET_TOKEN: token };
  const child = spawn(join(rockletBundleDir(), 'bin', 'rocklet'), ['--host', '127.0.0.1', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bin/rocklet not ready within ${deadlineMs} ms:\n${output}`));
    }, deadlineMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const ready = /"port":(\d+),[^\n]*"msg":"rocklet ready"/.exec(output);
      if (!ready) return;
      clearTimeout(timer);
      resolve({ child, url: `http://127.0.0.1:${ready[1]}` });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bin/rocklet exited with ${code}:\n${output}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

describe('bin/rocklet on the host', () => {
  let rocklet: HostRocklet | undefined;
  const token = randomBytes(16).toString('hex');

  afterAll(async () => {
    if (rocklet) await stop(rocklet.child);
  });

  it('starts through the bundled loader and runs commands with the host libc, LD_LIBRARY_PATH unset', async () => {
    rocklet = await startHostRocklet(token);
    const probe = 'echo "LD=${LD_LIBRARY_PATH-unset}"; grep -o "/[^ ]*libc[.-][^ ]*so[^ ]*" /proc/$$/maps | sort -u';
    const res = await fetch(`${rocklet.url}/execute`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ command: probe, shell: true }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json()) as { stdout: string; exit_code: number };
    expect(res.status).toBe(200);
    expect(body.exit_code).toBe(0);
    const [ld, ...libcs] = body.stdout.trim().split('\n');
    expect(ld).toBe('LD=unset');
    expect(libcs).toEqual([expect.stringMatching(/^\/(usr\/)?lib\/x86_64-linux-gnu\/libc\.so\.6$/)]);
  });
});
