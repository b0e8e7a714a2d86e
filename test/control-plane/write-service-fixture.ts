/**
 * Runs the write service as a REAL process (node dist/services/write/src/main.js) against real
 * Redis and the real Docker engine, each test file with its own Redis prefix, BullMQ prefix and
 * `rock.instance` label, and removes everything it made afterwards (never flushes Redis).
 */
import { SandboxRegistry, type SandboxRecord } from '@rock/registry';
import { deleteRedisKeys, dockerForTests, freePort, uniqueTestLabel } from '@rock/testing';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..');
const MAIN = join(REPO_ROOT, 'dist', 'services', 'write', 'src', 'main.js');
const REDIS_URL = 'redis://127.0.0.1:6379';
export const SANDBOX_API = '/apis/envs/sandbox/v1';
export const GEM_API = '/apis/v1/envs/gem';

let built = false;
/** Transpiles services/ and libs/ to dist/ (about a second) once per test file. */
export function buildDist(): void {
  if (built) return;
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'ignore' });
  built = true;
}

/** Parsed JSON as tests navigate it (`body.result.host_ip`); values are checked with expect(). */
export interface LooseJson {
  readonly [key: string]: LooseJson;
}

/** HTTP answer of the write service. */
export interface Answer<T = LooseJson> {
  status: number;
  headers: Headers;
  body: T;
}

/** One write-service process. */
export class WriteProcess {
  private output = '';
  private exited: Promise<number | null>;

  constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  get logs(): string {
    return this.output;
  }

  /** Resolves once the process logged that it listens; throws with its output otherwise. */
  async ready(deadlineMs = 20_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (Date.now() < deadline) {
      if (this.output.includes('"write service listening"')) return;
      if (this.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`write service did not start within ${deadlineMs} ms:\n${this.output}`);
  }

  async post<T = LooseJson>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    return this.request<T>(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  }

  async request<T = LooseJson>(path: string, init: RequestInit = {}, timeoutMs = 120_000): Promise<Answer<T>> {
    const res = await fetch(`${this.url}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (metrics, docs): keep the text
    }
    return { status: res.status, headers: res.headers, body: body as T };
  }

  /** SIGTERM and wait for the exit code (bounded). */
  async stop(deadlineMs = 20_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    return this.waitExit(deadlineMs);
  }

  /** SIGKILL: the crash case. */
  async kill9(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.waitExit(10_000);
  }

  /** Waits for the process to exit by itself; SIGKILLs it at the deadline (answering null). */
  async waitExit(deadlineMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((done) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        done(null);
      }, deadlineMs);
    });
    const code = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    return code;
  }
}

/** Settings of one test file's control plane. */
export interface ControlPlaneOptions {
  name: string;
  runtime: 'docker' | 'local';
  env?: Record<string, string>;
}

/**
 * A test file's isolated control plane: unique prefixes and instance label, a registry client for
 * assertions, write processes started on demand, and `cleanup()` removing containers, local
 * sandboxes and Redis keys it created.
 */
export class ControlPlane {
  readonly id: string;
  readonly prefix: string;
  readonly queuePrefix: string;
  readonly instance: string;
  readonly registry: SandboxRegistry;
  private readonly processes: WriteProcess[] = [];

  constructor(readonly options: ControlPlaneOptions) {
    this.id = uniqueTestLabel(`cp-${options.name}`);
    this.prefix = `${this.id}:`;
    this.queuePrefix = `${this.id}-bull`;
    this.instance = this.id;
    this.registry = SandboxRegistry.connect(REDIS_URL, { prefix: this.prefix });
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      ROCK_MODE: 'write',
      ROCK_HOST: '127.0.0.1',
      ROCK_REDIS_URL: REDIS_URL,
      ROCK_REDIS_PREFIX: this.prefix,
      ROCK_QUEUE_PREFIX: this.queuePrefix,
      ROCK_INSTANCE: this.instance,
      ROCK_RUNTIME: this.options.runtime,
      ROCK_LOCAL_SANDBOX_DIR: `/tmp/${this.id}`,
      ROCK_LOG_LEVEL: 'info',
      ROCK_SHUTDOWN_TIMEOUT_MS: '5000',
      ...this.options.env,
      ...extra,
    };
  }

  /** Starts a write process and waits (up to `readyDeadlineMs`) until it listens. */
  async start(extraEnv: Record<string, string> = {}, readyDeadlineMs = 20_000): Promise<WriteProcess> {
    buildDist();
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], { env: { ...this.env(extraEnv), ROCK_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = new WriteProcess(child, `http://127.0.0.1:${port}`);
    this.processes.push(proc);
    await proc.ready(readyDeadlineMs);
    return proc;
  }

  /** Runs the write process to completion with `extraEnv` (for boot failures); bounded by `deadlineMs`. */
  async runToExit(extraEnv: Record<string, string>, deadlineMs = 20_000): Promise<{ code: number | null; output: string }> {
    buildDist();
    const child = spawn(process.execPath, [MAIN], { env: { ...this.env(extraEnv) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = new WriteProcess(child, '');
    const code = await proc.waitExit(deadlineMs);
    return { code, output: proc.logs };
  }

  /** Polls the record until `predicate` holds; throws with the last record after `deadlineMs`. */
  async waitForRecord(id: string, predicate: (r: SandboxRecord | null) => boolean, deadlineMs = 30_000): Promise<SandboxRecord | null> {
    const deadline = Date.now() + deadlineMs;
    let last: SandboxRecord | null = null;
    while (Date.now() < deadline) {
      last = await this.registry.get(id);
      if (predicate(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`sandbox ${id} did not reach the expected state within ${deadlineMs} ms; last: ${JSON.stringify(last?.state)} ${last?.failure_reason ?? ''}`);
  }

  /** Containers of this control plane's instance, as `docker ps -a --filter label=…` sees them. */
  async containers(): Promise<{ id: string; sandboxId: string; state: string }[]> {
    const list = await dockerForTests().listContainers({
      all: true,
      filters: { label: ['rock.managed=true', `rock.instance=${this.instance}`] },
    });
    return list.map((c) => ({ id: c.Id, sandboxId: c.Labels['rock.sandbox-id'] ?? '', state: c.State }));
  }

  async cleanup(): Promise<void> {
    for (const proc of this.processes) await proc.stop(10_000);
    const docker = dockerForTests();
    for (const c of await this.containers()) await docker.getContainer(c.id).remove({ force: true }).catch(() => undefined);
    await this.registry.close();
    await deleteRedisKeys([`${this.prefix}*`, `${this.queuePrefix}:*`], REDIS_URL);
    execFileSync('rm', ['-rf', `/tmp/${this.id}`]);
  }
}
