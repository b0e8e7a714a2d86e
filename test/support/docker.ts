/**
 * Docker helpers for integration tests and benchmarks: rocklet started from the portable bundle
 * (dist/rocklet-runtime, `make rocklet-bundle`) inside containers of the test images
 * (scripts/test-images.sh), reached on the container's bridge IP. Every container carries the label
 * `rock.test=<runLabel>` so `removeTestContainers(runLabel)` removes everything a test created.
 */
import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withDeadline } from './processes';

/** Images built by scripts/test-images.sh (no registry needed). */
export const TEST_IMAGES = Object.freeze({
  bash: 'rock-test-bash:latest',
  busybox: 'rock-test-busybox:latest',
});

export const ROCKLET_PORT = 22555;
export const TEST_LABEL = 'rock.test';

const REPO_ROOT = resolve(__dirname, '..', '..').replace(/\/dist$/, '');
let dockerClient: Docker | undefined;

/** One dockerode client per process (the local socket, or DOCKER_HOST through dockerode's defaults). */
export function dockerForTests(): Docker {
  dockerClient ??= new Docker();
  return dockerClient;
}

/** A label value unique to this test run, e.g. `rocklet-container-1732521600000-9f2c`. */
export function uniqueTestLabel(name: string): string {
  return `${name}-${Date.now()}-${randomBytes(3).toString('hex')}`;
}

/** The bundle directory; throws a clear error when `make rocklet-bundle` has not run. */
export function rockletBundleDir(): string {
  const dir = join(REPO_ROOT, 'dist', 'rocklet-runtime');
  if (!existsSync(join(dir, 'rocklet.js'))) {
    throw new Error(`${dir} is missing: run \`make rocklet-bundle\` (bash scripts/rocklet-bundle.sh) first`);
  }
  return dir;
}

/** The exec-form container command: no shell needed, the bundle's own loader starts node. */
export function rockletContainerCommand(port = ROCKLET_PORT): string[] {
  return ['/rock/lib/ld-linux-x86-64.so.2', '--library-path', '/rock/lib', '/rock/bin/node', '/rock/rocklet.js', '--port', String(port)];
}

/** Command prefix that runs the bundled node with `args` (e.g. `['-e', code]`) in a container. */
export function bundledNodeCommand(args: string[]): string[] {
  return ['/rock/lib/ld-linux-x86-64.so.2', '--library-path', '/rock/lib', '/rock/bin/node', ...args];
}

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
}

/** A running container with rocklet answering on its bridge IP. */
export interface RockletContainer {
  readonly id: string;
  readonly ip: string;
  readonly baseUrl: string;
  readonly token: string;
  /** Milliseconds from the create request to the first `/is_alive` answer. */
  readonly readyMs: number;
  /** POST a JSON body with the bearer token (pass `token: null` to omit it). */
  post<T = unknown>(path: string, body: unknown, token?: string | null): Promise<HttpAnswer<T>>;
  get<T = unknown>(path: string, token?: string | null): Promise<HttpAnswer<T>>;
  /** Stops and removes the container; safe to call twice. */
  remove(): Promise<void>;
}

export interface StartRockletContainerOptions {
  image: string;
  /** Value of the `rock.test` label; use one per test file and remove them all in afterAll. */
  runLabel: string;
  /** Defaults to a fresh random token. */
  token?: string;
  env?: Record<string, string>;
  readyDeadlineMs?: number;
}

/** Creates and starts a container running rocklet from the bundle, then waits for `/is_alive`. */
export async function startRockletContainer(options: StartRockletContainerOptions): Promise<RockletContainer> {
  const token = options.token ?? randomBytes(16).toString('hex');
  const env = { ...options.env, ROCKLET_TOKEN: token };
  const started = Date.now();
  const container = await createBundleContainer(options.image, options.runLabel, rockletContainerCommand(), env);
  const remove = onceRemover(container);
  try {
    await container.start();
    const ip = await containerIp(container.id);
    const baseUrl = `http://${ip}:${ROCKLET_PORT}`;
    await waitForHttp(`${baseUrl}/is_alive`, options.readyDeadlineMs ?? 15_000);
    const readyMs = Date.now() - started;
    return {
      id: container.id,
      ip,
      baseUrl,
      token,
      readyMs,
      post: (path, body, t = token) => httpJson(`${baseUrl}${path}`, 'POST', t, body),
      get: (path, t = token) => httpJson(`${baseUrl}${path}`, 'GET', t),
      remove,
    };
  } catch (err) {
    const logs = await containerLogs(container.id).catch(() => ({ stdout: '', stderr: '' }));
    await remove();
    throw new Error(`rocklet in ${options.image} did not start: ${String(err)}; logs: ${logs.stdout}${logs.stderr}`, {
      cause: err,
    });
  }
}

export interface OneShotResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `cmd` in a fresh container of `image` (bundle mounted at /rock), waits, removes it. */
export async function runInTestImage(
  image: string,
  cmd: string[],
  runLabel: string,
  deadlineMs = 30_000,
): Promise<OneShotResult> {
  const container = await createBundleContainer(image, runLabel, cmd, {});
  const remove = onceRemover(container);
  try {
    await container.start();
    const result = (await withDeadline(container.wait(), deadlineMs, `container ${cmd.join(' ')}`)) as { StatusCode: number };
    return { exitCode: result.StatusCode, ...(await containerLogs(container.id)) };
  } finally {
    await remove();
  }
}

/** Removes every container labelled `rock.test=<runLabel>` (running or not); returns how many. */
export async function removeTestContainers(runLabel: string): Promise<number> {
  const docker = dockerForTests();
  const list = await docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${runLabel}`] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(ignoreGone)));
  return list.length;
}

/** The container's IP on its first network (the default bridge for test containers). */
export async function containerIp(id: string): Promise<string> {
  const info = await dockerForTests().getContainer(id).inspect();
  const ip = Object.values(info.NetworkSettings.Networks ?? {}).find((n) => n.IPAddress)?.IPAddress;
  if (!ip) throw new Error(`container ${id.slice(0, 12)} has no bridge IP (state ${info.State.Status})`);
  return ip;
}

/** Polls `url` (5 ms, growing to 50 ms) until it answers 2xx, or throws after `deadlineMs`. */
export async function waitForHttp(url: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let delay = 5;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(50, Math.min(1000, deadline - Date.now()))) });
      await res.arrayBuffer();
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = String((err as Error).cause ?? err);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 1.5, 50);
  }
  throw new Error(`${url} did not answer within ${deadlineMs} ms (last: ${last})`);
}

async function createBundleContainer(image: string, runLabel: string, cmd: string[], env: Record<string, string>) {
  return dockerForTests().createContainer({
    Image: image,
    Cmd: cmd,
    Entrypoint: [],
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: { [TEST_LABEL]: runLabel },
    HostConfig: { Binds: [`${rockletBundleDir()}:/rock:ro`], Init: true },
  });
}

async function httpJson<T>(url: string, method: string, token: string | null, body?: unknown): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the raw text is the body.
  }
  return { status: res.status, body: parsed as T };
}

async function containerLogs(id: string): Promise<{ stdout: string; stderr: string }> {
  const raw = (await dockerForTests().getContainer(id).logs({ stdout: true, stderr: true, follow: false })) as Buffer;
  const out: Buffer[][] = [[], [], []];
  // Non-TTY log stream frames: [stream, 0, 0, 0, size (uint32 BE)] + payload.
  for (let i = 0; i + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(i + 4);
    out[raw[i] === 2 ? 2 : 1].push(raw.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return { stdout: Buffer.concat(out[1]).toString(), stderr: Buffer.concat(out[2]).toString() };
}

function onceRemover(container: Docker.Container): () => Promise<void> {
  let removal: Promise<void> | undefined;
  return () => (removal ??= container.remove({ force: true }).then(() => undefined, ignoreGone));
}

function ignoreGone(err: unknown): void {
  const status = (err as { statusCode?: number }).statusCode;
  if (status !== 404 && status !== 409) throw err;
}
