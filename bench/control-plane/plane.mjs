// Control-plane benchmark harness: a write service and N read replicas as REAL processes from dist/,
// each run with its own Redis prefix, BullMQ prefix, rock.instance label and local sandbox dir;
// keep-alive HTTP clients; and a cleanup that stops every sandbox, removes what is left and then
// proves (and prints) that no managed container and no rocklet process of this run remains.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { cpuMs, ROOT, testing } from '../rocklet/harness.mjs';

const require = createRequire(import.meta.url);
const { Agent, request } = require('undici');

export const REDIS_URL = 'redis://127.0.0.1:6379';
export const SANDBOX_API = '/apis/envs/sandbox/v1';
export const GEM_API = '/apis/v1/envs/gem';
const WRITE_MAIN = join(ROOT, 'dist', 'services', 'write', 'src', 'main.js');
const READ_MAIN = join(ROOT, 'dist', 'services', 'read', 'src', 'main.js');
const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000, pipelining: 1 });

/** JSON over keep-alive HTTP with a deadline; returns { status, body }. */
export async function httpJson(url, { method = 'GET', body, headers = {}, timeoutMs = 120_000 } = {}) {
  const res = await request(url, {
    method,
    dispatcher: agent,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const text = await res.body.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the error message
  }
  return { status: res.statusCode, body: parsed };
}

/** One service process (write or read) with its output kept for error messages. */
class ServiceProcess {
  constructor(kind, child, url) {
    this.kind = kind;
    this.child = child;
    this.url = url;
    this.output = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (this.output = (this.output + d).slice(-200_000)));
    child.stderr.setEncoding('utf8').on('data', (d) => (this.output = (this.output + d).slice(-200_000)));
    this.exited = new Promise((resolve) => child.once('exit', resolve));
  }

  async ready(deadlineMs = 60_000) {
    const needle = `"${this.kind} service listening"`;
    const deadline = Date.now() + deadlineMs;
    while (Date.now() < deadline) {
      if (this.output.includes(needle)) return;
      if (this.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${this.kind} service did not start within ${deadlineMs} ms:\n${this.output.slice(-4000)}`);
  }

  post(path, body, timeoutMs) {
    return httpJson(`${this.url}${path}`, { method: 'POST', body, timeoutMs });
  }

  get(path, timeoutMs) {
    return httpJson(`${this.url}${path}`, { timeoutMs });
  }

  async stop(deadlineMs = 20_000) {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), deadlineMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Throws with the body unless the sandbox API answered Success. */
export function expectSuccess(answer, what) {
  if (answer.status !== 200 || answer.body?.status !== 'Success') {
    throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`);
  }
  return answer.body.result;
}

/** A benchmark run's isolated control plane. */
export class BenchPlane {
  constructor(name, { runtime, env = {}, nodeArgs = [] }) {
    this.nodeArgs = nodeArgs;
    this.id = `bench-${name}-${randomBytes(4).toString('hex')}`;
    this.prefix = `${this.id}:`;
    this.queuePrefix = `${this.id}-bull`;
    this.instance = this.id;
    this.sandboxDir = `/tmp/${this.id}`;
    this.runtime = runtime;
    this.extraEnv = env;
    this.processes = [];
    this.created = new Set();
  }

  env(mode, port) {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      ROCK_MODE: mode,
      ROCK_HOST: '127.0.0.1',
      ROCK_PORT: String(port),
      ROCK_REDIS_URL: this.extraEnv.ROCK_REDIS_URL ?? REDIS_URL,
      ROCK_REDIS_PREFIX: this.prefix,
      ROCK_QUEUE_PREFIX: this.queuePrefix,
      ROCK_INSTANCE: this.instance,
      ROCK_RUNTIME: this.runtime,
      ROCK_LOCAL_SANDBOX_DIR: this.sandboxDir,
      ROCK_LOG_LEVEL: 'warn',
      ROCK_SHUTDOWN_TIMEOUT_MS: '5000',
      ROCK_GEM_IMAGE: testing().TEST_IMAGES.busybox,
      ROCK_GEM_DATA_DIR: join(ROOT, '..', 'shared', 'gem-data'),
      ...this.extraEnv,
    };
  }

  async startService(kind) {
    const port = await testing().freePort();
    const main = kind === 'write' ? WRITE_MAIN : READ_MAIN;
    // The "listening" line is logged at info; keep the rest quiet.
    const env = { ...this.env(kind, port), ROCK_LOG_LEVEL: 'info' };
    const child = spawn(process.execPath, [...this.nodeArgs, main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = new ServiceProcess(kind, child, `http://127.0.0.1:${port}`);
    this.processes.push(proc);
    await proc.ready();
    return proc;
  }

  /** POST /start (sync) and remembers the id for cleanup; returns { ms, result }. */
  async startSandbox(write, body) {
    this.created.add(body.sandbox_id);
    const t0 = process.hrtime.bigint();
    const answer = await write.post(`${SANDBOX_API}/start`, body, 300_000);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return { ms, answer };
  }

  async containers() {
    const list = await testing().dockerForTests().listContainers({
      all: true,
      filters: { label: [`rock.instance=${this.instance}`] },
    });
    return list.map((c) => c.Id);
  }

  /** Host processes marked as sandboxes or warm-pool rocklets of this instance (local runtime). */
  rockletProcesses() {
    return testing().markedProcesses(this.instance);
  }

  /** Stops every sandbox through the API, stops the services, removes leftovers, proves zero remain. */
  async cleanup() {
    const write = this.processes.find((p) => p.kind === 'write' && p.child.exitCode === null);
    if (write) await stopAll(write, [...this.created]);
    for (const proc of this.processes) await proc.stop();
    const leftContainers = await this.containers();
    const leftProcesses = this.rockletProcesses();
    const docker = testing().dockerForTests();
    for (const id of leftContainers) await docker.getContainer(id).remove({ force: true }).catch(() => undefined);
    for (const pid of leftProcesses) killQuietly(pid);
    await testing().deleteRedisKeys([`${this.prefix}*`, `${this.queuePrefix}:*`], this.extraEnv.ROCK_REDIS_URL ?? REDIS_URL);
    rmSync(this.sandboxDir, { recursive: true, force: true });
    const after = { containers: (await this.containers()).length, rocklets: this.rockletProcesses().length };
    console.log(
      `cleanup ${this.instance}: left after stop: ${leftContainers.length} containers, ${leftProcesses.length} rocklet processes; ` +
        `after removal: docker ps -a --filter label=rock.instance=${this.instance} -> ${after.containers}, rocklet processes -> ${after.rocklets}`,
    );
    if (after.containers !== 0 || after.rocklets !== 0) throw new Error(`cleanup of ${this.instance} left ${JSON.stringify(after)}`);
    return { leftContainers: leftContainers.length, leftProcesses: leftProcesses.length };
  }
}

async function stopAll(write, ids) {
  const queue = [...ids];
  const worker = async () => {
    while (queue.length > 0) {
      const id = queue.pop();
      await write.post(`${SANDBOX_API}/stop`, { sandbox_id: id }, 120_000).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

function killQuietly(pid) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The sandbox's rocklet address and token, as the read service finds them. */
export async function rockletOf(plane, sandboxId) {
  const { SandboxRegistry } = require(join(ROOT, 'dist', 'libs', 'registry', 'src', 'index.js'));
  const registry = SandboxRegistry.connect(plane.extraEnv.ROCK_REDIS_URL ?? REDIS_URL, { prefix: plane.prefix });
  try {
    const rec = await registry.get(sandboxId);
    if (!rec?.rocklet_url) throw new Error(`sandbox ${sandboxId} has no rocklet_url: ${JSON.stringify(rec?.state)}`);
    return { url: rec.rocklet_url, token: rec.rocklet_token, resourceId: rec.resource_id };
  } finally {
    await registry.close();
  }
}

/** Runs `fn(i)` for i in [0, n) with at most `concurrency` in flight; returns results in order. */
export async function pool(n, concurrency, fn) {
  const results = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next;
      next += 1;
      results[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
  return results;
}

export function dockerCli(args, timeout = 120_000) {
  return execFileSync('docker', args, { encoding: 'utf8', timeout }).trim();
}

export function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** CPU ms the given processes spend while `fn` runs; returns { result, cpuMs }. */
export async function withCpu(pids, fn) {
  const before = pids.map(cpuMs);
  const result = await fn();
  const spent = pids.map(cpuMs).reduce((sum, after, i) => sum + after - before[i], 0);
  return { result, cpuMs: spent };
}
