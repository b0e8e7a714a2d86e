import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDistNow, isBuildFresh, REPO_ROOT } from './repo';

const ROOT = REPO_ROOT;
const ENTRY = join(ROOT, 'dist', 'services', 'rocklet', 'src', 'main.js');
const SOURCES = [join(ROOT, 'services', 'rocklet', 'src'), join(ROOT, 'libs', 'contracts', 'src')];

export interface RockletProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly token: string | null;
  readonly child: ChildProcess;
  /** Everything the process printed (JSON log lines), for assertions and debugging. */
  logs(): string;
  /** fetch against the rocklet with the bearer token (unless `auth: false`). */
  request(path: string, init?: RequestInit & { auth?: boolean }): Promise<Response>;
  /** POST JSON, parse JSON; returns status and body. */
  post<T = Record<string, unknown>>(path: string, body: unknown): Promise<{ status: number; body: T }>;
  /** Peak resident memory (VmHWM) of the rocklet process, bytes. */
  peakRssBytes(): number;
  /** SIGTERM, then SIGKILL after the deadline; resolves when the process has exited. */
  stop(deadlineMs?: number): Promise<void>;
}

export interface StartRockletOptions {
  /** Defaults to a random token; null starts with --no-auth. */
  token?: string | null;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

/** Builds dist/ with `node scripts/build.mjs` when the rocklet's compiled entry is stale. */
export function ensureRockletBuilt(): string {
  if (!isBuildFresh(ENTRY, SOURCES)) buildDistNow(60_000);
  return ENTRY;
}

function waitForPort(child: ChildProcess, output: () => string, deadlineMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`rocklet not ready within ${deadlineMs} ms:\n${output()}`)), deadlineMs);
    const onData = (): void => {
      const m = /"port":(\d+),[^\n]*"msg":"rocklet ready"/.exec(output());
      if (m) done(null, Number(m[1]));
    };
    const onExit = (code: number | null): void => done(new Error(`rocklet exited with ${code}:\n${output()}`));
    function done(err: Error | null, port?: number): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(port as number);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Starts `node dist/services/rocklet/src/main.js` on 127.0.0.1 with an OS-chosen port. */
export async function startRocklet(options: StartRockletOptions = {}): Promise<RockletProcess> {
  const entry = ensureRockletBuilt();
  const token = options.token === undefined ? randomBytes(16).toString('hex') : options.token;
  const args = [entry, '--host', '127.0.0.1', '--port', '0', ...(token === null ? ['--no-auth'] : [])];
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...options.env };
  if (token !== null) env.ROCKLET_TOKEN = token;
  else delete env.ROCKLET_TOKEN;
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await waitForPort(child, () => output, options.readyTimeoutMs ?? 20_000);
  const url = `http://127.0.0.1:${port}`;
  const request = (path: string, init: RequestInit & { auth?: boolean } = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (token !== null && init.auth !== false && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    return fetch(`${url}${path}`, { ...init, headers, signal: init.signal ?? AbortSignal.timeout(60_000) });
  };
  return {
    url,
    port,
    pid: child.pid as number,
    token,
    child,
    logs: () => output,
    request,
    async post<T>(path: string, body: unknown) {
      const res = await request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      return { status: res.status, body: (await res.json()) as T };
    },
    peakRssBytes() {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : NaN;
    },
    async stop(deadlineMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
