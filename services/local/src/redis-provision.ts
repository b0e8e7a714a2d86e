import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import { freePort } from '@rock/runtime';

/** A Redis local mode uses; `stop()` ends the private redis-server it may have started. */
export interface ProvisionedRedis {
  url: string;
  /** `true` when local mode started its own redis-server (no persistence, stopped on exit). */
  owned: boolean;
  stop(): Promise<void>;
}

/** Resolves `true` when a Redis at `url` answers PING within `timeoutMs`. */
export function redisAnswers(url: string, timeoutMs: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(Number(port || 6379), hostname || '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

async function waitForRedis(url: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode} before answering`);
    if (await redisAnswers(url, 500)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer at ${url} within ${deadlineMs} ms`);
}

function stopChild(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts `redis-server` on a free loopback port with persistence off; rejects within `deadlineMs`. */
export async function startPrivateRedis(deadlineMs = 10_000): Promise<ProvisionedRedis> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new Error(`cannot start redis-server (${error.message}); install it or set ROCK_REDIS_URL`)));
  });
  await spawned;
  const url = `redis://127.0.0.1:${port}`;
  await waitForRedis(url, child, deadlineMs);
  return { url, owned: true, stop: () => stopChild(child, 5_000) };
}

/**
 * The Redis local mode uses: `explicitUrl` when given (it must answer), else the default
 * 127.0.0.1:6379 when it answers, else a private redis-server on a free port.
 */
export async function provisionRedis(explicitUrl: string | null, defaultUrl: string): Promise<ProvisionedRedis> {
  if (explicitUrl !== null) {
    if (!(await redisAnswers(explicitUrl, 3_000))) throw new Error(`ROCK_REDIS_URL ${explicitUrl} does not answer PING`);
    return { url: explicitUrl, owned: false, stop: () => Promise.resolve() };
  }
  if (await redisAnswers(defaultUrl, 1_000)) return { url: defaultUrl, owned: false, stop: () => Promise.resolve() };
  return startPrivateRedis();
}
