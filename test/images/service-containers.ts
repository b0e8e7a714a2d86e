/**
 * The built service image (scripts/build-images.sh) run as real containers: write and read on the
 * host network (they reach the host's Redis on 127.0.0.1 and sandbox containers on their bridge
 * IPs, as a single-host install does), the Docker socket mounted, the rocklet bundle mounted at
 * the same absolute path the write service hands to the Docker daemon. Every container carries
 * `rock.test=<label>`; `cleanup()` removes them, the sandboxes of the instance and the Redis keys.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { deleteRedisKeys, dockerForTests, TEST_LABEL, uniqueTestLabel } from '@rock/testing';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const SERVICE_IMAGE = 'rock/service:latest';
export const ROCKLET_RUNTIME_IMAGE = 'rock/rocklet-runtime:latest';
const REDIS_URL = 'redis://127.0.0.1:6379';
const DOCKER_SOCKET = '/var/run/docker.sock';

/** Builds (or keeps, when the inputs are unchanged) the images; returns the script's output. */
export async function buildImages(timeoutMs: number): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)('bash', [join(REPO_ROOT, 'scripts', 'build-images.sh')], {
    cwd: REPO_ROOT,
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout + stderr;
}

export interface ServiceEndpoint {
  mode: 'write' | 'read';
  url: string;
  container: Docker.Container;
}

export class ServiceContainers {
  readonly label = uniqueTestLabel('images');
  readonly prefix = `${this.label}:`;
  readonly queuePrefix = `${this.label}-bull`;
  readonly instance = this.label;
  readonly apiKey = `${this.label.replace(/[^a-z0-9]/g, '')}0123456789`;
  /** Host directory the rocklet-runtime image installs the bundle into (what an init container does). */
  readonly bundleDir = join(tmpdir(), this.label, 'rocklet-runtime');
  private readonly docker = dockerForTests();

  /**
   * Runs rock/rocklet-runtime with its default entrypoint (no shell: the bundled node copies) and
   * the target directory as the only argument; resolves the container's exit code and output.
   */
  async installBundle(deadlineMs = 120_000): Promise<{ exitCode: number; output: string }> {
    mkdirSync(this.bundleDir, { recursive: true });
    const container = await this.docker.createContainer({
      Image: ROCKLET_RUNTIME_IMAGE,
      Cmd: [this.bundleDir],
      Labels: { [TEST_LABEL]: this.label },
      HostConfig: { Binds: [`${this.bundleDir}:${this.bundleDir}`], NetworkMode: 'none' },
    });
    await container.start();
    const timer = setTimeout(() => void container.kill().catch(() => undefined), deadlineMs);
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    clearTimeout(timer);
    const output = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
    await container.remove({ force: true });
    return { exitCode: StatusCode, output };
  }

  /** Starts one service container on `port` and waits (bounded) for /readyz. */
  async start(mode: 'write' | 'read', port: number, deadlineMs = 60_000): Promise<ServiceEndpoint> {
    const bundle = this.bundleDir;
    if (!existsSync(join(bundle, 'rocklet.js'))) throw new Error(`no bundle at ${bundle}: call installBundle() first`);
    const container = await this.docker.createContainer({
      Image: SERVICE_IMAGE,
      name: `${this.label}-${mode}`,
      Cmd: ['node', `dist/services/${mode}/src/main.js`],
      Labels: { [TEST_LABEL]: this.label },
      Env: Object.entries(this.env(mode, port, bundle)).map(([k, v]) => `${k}=${v}`),
      HostConfig: {
        NetworkMode: 'host',
        Binds: [`${DOCKER_SOCKET}:${DOCKER_SOCKET}`, `${bundle}:${bundle}:ro`],
        GroupAdd: [String(statSync(DOCKER_SOCKET).gid)],
        ReadonlyRootfs: true,
        Tmpfs: { '/tmp': 'rw,size=64m' },
      },
    });
    await container.start();
    const endpoint = { mode, url: `http://127.0.0.1:${port}`, container };
    await this.waitReady(endpoint, deadlineMs);
    return endpoint;
  }

  async logs(endpoint: ServiceEndpoint): Promise<string> {
    const buffer = await endpoint.container.logs({ stdout: true, stderr: true, tail: 60 });
    return buffer.toString('utf8');
  }

  /** Containers (services and sandboxes) this test made, for assertions and cleanup. */
  async sandboxContainers(): Promise<Docker.ContainerInfo[]> {
    return this.docker.listContainers({ all: true, filters: { label: ['rock.managed=true', `rock.instance=${this.instance}`] } });
  }

  async cleanup(): Promise<void> {
    const services = await this.docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${this.label}`] } });
    for (const info of [...services, ...(await this.sandboxContainers())]) {
      await this.docker.getContainer(info.Id).remove({ force: true }).catch(() => undefined);
    }
    await deleteRedisKeys([`${this.prefix}*`, `${this.queuePrefix}:*`], REDIS_URL);
    rmSync(join(tmpdir(), this.label), { recursive: true, force: true });
  }

  private env(mode: string, port: number, bundle: string): Record<string, string> {
    return {
      ROCK_MODE: mode,
      ROCK_HOST: '127.0.0.1',
      ROCK_PORT: String(port),
      ROCK_REDIS_URL: REDIS_URL,
      ROCK_REDIS_PREFIX: this.prefix,
      ROCK_QUEUE_PREFIX: this.queuePrefix,
      ROCK_INSTANCE: this.instance,
      ROCK_RUNTIME: 'docker',
      ROCK_ROCKLET_BUNDLE_DIR: bundle,
      ROCK_API_KEYS: `${this.apiKey}:images-test`,
      ROCK_LOG_LEVEL: 'info',
    };
  }

  private async waitReady(endpoint: ServiceEndpoint, deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    let last = '';
    while (Date.now() < deadline) {
      const state = await endpoint.container.inspect();
      if (!state.State.Running) break;
      try {
        const res = await fetch(`${endpoint.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return;
        last = `${res.status} ${await res.text()}`;
      } catch (error) {
        last = String(error);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${endpoint.mode} container not ready within ${deadlineMs} ms (${last}):\n${await this.logs(endpoint)}`);
  }
}
