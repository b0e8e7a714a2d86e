import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { deleteRedisKeys, freePort } from '@rock/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Repository root (test/client → ../..). */
export const REPO_ROOT = join(__dirname, '..', '..');
export const ROCK_BIN = join(REPO_ROOT, 'bin', 'rock');

/** A `rock admin start --env local` process started by a test. */
export interface LocalServer {
  baseUrl: string;
  /** Environment that isolates this server (unique Redis/queue prefixes, runtime instance label). */
  env: Record<string, string>;
  pidFile: string;
  output: () => string;
  /** SIGTERM and wait for a clean exit (SIGKILL after `timeoutMs`); resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
}

/** Compiles services and libs to dist/ (swc, < 1 s) so `bin/rock` runs the current sources. */
export function buildDist(): void {
  const build = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { encoding: 'utf8', timeout: 120_000 });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
}

/** Environment giving one test server its own Redis keys, queue and runtime label. */
export function isolatedEnv(tag: string): Record<string, string> {
  const unique = `${tag}-${randomBytes(4).toString('hex')}`;
  return {
    ROCK_REDIS_PREFIX: `t-${unique}:`,
    ROCK_QUEUE_PREFIX: `t-${unique}-bull`,
    ROCK_INSTANCE: `t-${unique}`,
    ROCK_LOG_LEVEL: 'warn',
    ROCK_LOCAL_SANDBOX_DIR: join(tmpdir(), `rock-${unique}`),
  };
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}


/** Starts local mode as a real process and waits (≤ `deadlineMs`) for its "listening on" line. */
export async function startLocalServer(runtime: 'local' | 'docker', tag: string, deadlineMs = 90_000): Promise<LocalServer> {
  const port = await freePort();
  const env = isolatedEnv(tag);
  const pidFile = join(tmpdir(), `rock-${env.ROCK_INSTANCE}.pid`);
  const child = spawn(process.execPath, [ROCK_BIN, 'admin', 'start', '--env', 'local', '--port', String(port), '--runtime', runtime, '--pid-file', pidFile], {
    env: { ...process.env, ...env, ROCK_BASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = Date.now();
  while (!output.includes(`listening on ${baseUrl}`)) {
    if (child.exitCode !== null) throw new Error(`local mode exited (${child.exitCode}): ${output}`);
    if (Date.now() - started > deadlineMs) {
      child.kill('SIGKILL');
      throw new Error(`local mode did not listen within ${deadlineMs} ms: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    baseUrl,
    env,
    pidFile,
    output: () => output,
    stop: async (timeoutMs = 90_000) => {
      child.kill('SIGTERM');
      const code = await waitForExit(child, timeoutMs);
      rmSync(env.ROCK_LOCAL_SANDBOX_DIR as string, { recursive: true, force: true });
      await deleteRedisKeys([`${env.ROCK_REDIS_PREFIX}*`, `${env.ROCK_QUEUE_PREFIX}*`]);
      return code;
    },
  };
}
