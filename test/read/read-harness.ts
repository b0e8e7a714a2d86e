/**
 * Test-only helpers for the read service: real replicas started from dist/ as processes, and
 * sandboxes registered directly in the registry (no write service involved).
 */
import {
  applyServerDefaults,
  callerFromHeaders,
  parseOrThrow,
  SandboxStartRequestSchema,
} from '@rock/contracts';
import { buildDistNow, deleteRedisKeys, freePort, isBuildFresh, REPO_ROOT, startRocklet, type RockletProcess } from '@rock/testing';
import { newSandboxRecord, SandboxRegistry, type SandboxRecord } from '@rock/registry';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const ROOT = REPO_ROOT;
const ENTRY = join(ROOT, 'dist', 'services', 'read', 'src', 'main.js');
export const REDIS_URL = 'redis://127.0.0.1:6379';
export const API = '/apis/envs/sandbox/v1';

function distIsFresh(): boolean {
  const sources = [join(ROOT, 'services', 'read', 'src'), ...readdirSync(join(ROOT, 'libs')).map((lib) => join(ROOT, 'libs', lib, 'src'))];
  return isBuildFresh(ENTRY, sources);
}

/**
 * Compiles services/libs to dist/ (swc, about a second) when the read service's sources are newer
 * than its compiled entry. A lock directory keeps parallel test files from rewriting dist/ while
 * another file's replicas load it.
 */
export async function buildDist(): Promise<void> {
  const lock = join(ROOT, 'dist', '.read-tests-build.lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`could not take ${lock} within 180 s`);
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    if (!distIsFresh()) {
      buildDistNow();
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface ReadReplica {
  readonly url: string;
  readonly pid: number;
  logs(): string;
  get<T = Envelope>(path: string, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  post<T = Envelope>(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  /** Peak resident memory (VmHWM), bytes. */
  peakRssBytes(): number;
  stop(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked by the tests' assertions
export interface Envelope<T = any> {
  status: 'Success' | 'Failed';
  message: string | null;
  error: string | null;
  result: T;
}

function waitForListening(child: ChildProcess, output: () => string, deadlineMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`read replica not listening within ${deadlineMs} ms:\n${output()}`)), deadlineMs);
    const onData = (): void => {
      if (output().includes('"msg":"read service listening"')) finish(null);
    };
    const onExit = (code: number | null): void => finish(new Error(`read replica exited with ${code}:\n${output()}`));
    function finish(error: Error | null): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}

/** Starts `node dist/services/read/src/main.js` (ROCK_MODE=read) on a free port with `prefix`. */
export async function startReadReplica(prefix: string, env: Record<string, string> = {}): Promise<ReadReplica> {
  const port = await freePort();
  const child = spawn(process.execPath, [ENTRY], {
    env: {
      ...(process.env as Record<string, string>),
      ROCK_MODE: 'read', ROCK_HOST: '127.0.0.1', ROCK_PORT: String(port), ROCK_REDIS_URL: REDIS_URL,
      ROCK_REDIS_PREFIX: prefix, ROCK_LOG_LEVEL: 'info', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForListening(child, () => output, 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  const call = async <T>(path: string, init: RequestInit): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${url}${path}`, { ...init, signal: AbortSignal.timeout(120_000) });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  };
  return {
    url,
    pid: child.pid as number,
    logs: () => output,
    get: (path, headers = {}) => call(path, { headers }),
    post: (path, body, headers = {}) =>
      call(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } }),
    peakRssBytes() {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : NaN;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A unique registry prefix per test file (never flush Redis: delete only these keys). */
export function uniquePrefix(name: string): string {
  return `test-read-${name}-${randomBytes(4).toString('hex')}:`;
}

export interface RegisterOptions {
  id: string;
  rockletUrl: string | null;
  token: string | null;
  env?: Record<string, string>;
  metadata?: Record<string, string>;
  image?: string;
  cpus?: number;
  headers?: Record<string, string>;
  autoClearMinutes?: number;
  running?: boolean;
  owner?: string;
}

/** Inserts a record as the write service would, then moves it to `running` with the rocklet address. */
export async function registerSandbox(registry: SandboxRegistry, options: RegisterOptions): Promise<SandboxRecord> {
  const request = applyServerDefaults(
    parseOrThrow(SandboxStartRequestSchema, {
      image: options.image ?? 'rock-test-bash:latest', sandbox_id: options.id, env: options.env ?? {},
      metadata: options.metadata ?? {}, cpus: options.cpus ?? 1, memory: '512m',
      auto_clear_time_minutes: options.autoClearMinutes ?? 30,
    }),
    { autoClearMinutes: 30, startupTimeoutSeconds: 60 },
  );
  const record = newSandboxRecord(request, {
    caller: callerFromHeaders(options.headers ?? {}), owner: options.owner ?? 'anonymous', runtime: 'local',
    rockletToken: options.token ?? '', nowMs: Date.now(),
  });
  const created = await registry.create(record);
  if (!created.ok) throw new Error(`could not register ${options.id}: ${JSON.stringify(created)}`);
  if (options.running === false) return record;
  const moved = await registry.transition(options.id, 'pending', 'running', 'started', {
    rocklet_url: options.rockletUrl, rocklet_token: options.token, host_ip: '127.0.0.1', host_name: 'localhost',
  });
  if (!moved.ok) throw new Error(`could not mark ${options.id} running: ${JSON.stringify(moved)}`);
  return (await registry.get(options.id)) as SandboxRecord;
}

/** Removes every key under `prefix` (never FLUSHDB: others share this Redis). */
export async function dropPrefix(prefix: string): Promise<void> {
  await deleteRedisKeys([`${prefix}*`], REDIS_URL);
}

/** What a read test file runs against: a registry under its prefix and a host rocklet registered as a running sandbox. */
export interface ReadTestBed {
  registry: SandboxRegistry;
  rocklet: RockletProcess;
}

/** Builds dist/ if stale, connects a registry under `prefix` and starts a rocklet registered as sandbox `sandbox.id`. */
export async function startReadTestBed(prefix: string, sandbox: Omit<RegisterOptions, 'rockletUrl' | 'token'>): Promise<ReadTestBed> {
  await buildDist();
  const registry = SandboxRegistry.connect(REDIS_URL, { prefix });
  let rocklet: RockletProcess | undefined;
  try {
    rocklet = await startRocklet({ readyTimeoutMs: 60_000 });
    await registerSandbox(registry, { ...sandbox, rockletUrl: rocklet.url, token: rocklet.token });
    return { registry, rocklet };
  } catch (error) {
    await stopReadTestBed(prefix, { registry, rocklet }, []);
    throw error;
  }
}

/** Stops the replicas and the rocklet, closes the registry and drops the prefix's keys; parts a failed start never made are skipped. */
export async function stopReadTestBed(prefix: string, bed: Partial<ReadTestBed> | undefined, replicas: ReadonlyArray<ReadReplica | undefined>): Promise<void> {
  await Promise.all(replicas.flatMap((r) => (r ? [r.stop()] : [])));
  await bed?.rocklet?.stop();
  await bed?.registry?.close();
  await dropPrefix(prefix);
}
