import { InternalError, Sandbox, type TransferProgress } from '@rock/client';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDist, startLocalServer, type LocalServer } from './local-server.fixture';

// The SDK against local mode on the Docker runtime (rock-test-bash image from scripts/test-images.sh).
jest.setTimeout(300_000);

const SIZE = 100 * 1024 * 1024;
let server: LocalServer;
let sandbox: Sandbox;
let scratch: string;

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Containers of this test's instance, as the Docker engine sees them. */
function instanceContainers(): string[] {
  const out = execFileSync('docker', ['ps', '-aq', '--filter', `label=rock.instance=${server.env.ROCK_INSTANCE}`], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

beforeAll(async () => {
  buildDist();
  server = await startLocalServer('docker', 'sdkdocker');
  scratch = await mkdtemp(join(tmpdir(), 'rock-sdk-docker-'));
  sandbox = new Sandbox({ baseUrl: server.baseUrl, image: 'rock-test-bash:latest', memory: '512m', cpus: 1 });
  await sandbox.start();
});

let serverStopped = false;

afterAll(async () => {
  if (sandbox) await sandbox.stop().catch(() => undefined);
  if (server && !serverStopped) expect(await server.stop()).toBe(0);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

it('a missing image fails fast with the image_pull phase message, and leaves no container', async () => {
  const started = Date.now();
  const failing = new Sandbox({ baseUrl: server.baseUrl, image: 'rock-test-nope:missing', startupTimeout: 120 });
  const error = await failing.start().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InternalError);
  expect((error as Error).message).toMatch(/failed to start in image_pull: .+/);
  expect(Date.now() - started).toBeLessThan(60_000);
  await failing.stop().catch(() => undefined);
  expect(await failing.isAlive()).toBe(false);
});

it('uploads and downloads 100 MB streamed, with progress, byte-exact', async () => {
  const local = join(scratch, 'big.bin');
  const file = await open(local, 'w');
  for (let written = 0; written < SIZE; written += 4 * 1024 * 1024) await file.write(randomBytes(4 * 1024 * 1024));
  await file.close();
  const expected = await sha256(local);
  const up: TransferProgress[] = [];
  let started = Date.now();
  await sandbox.upload(local, '/tmp/big/big.bin', { onProgress: (p) => up.push(p) });
  const uploadMs = Date.now() - started;
  expect(up.length).toBeGreaterThan(5);
  expect(up[up.length - 1]).toEqual({ transferred: SIZE, total: SIZE });
  expect(up.every((p, i) => i === 0 || p.transferred >= (up[i - 1] as TransferProgress).transferred)).toBe(true);
  const remote = await sandbox.execute({ command: 'sha256sum /tmp/big/big.bin' });
  expect(remote.stdout.split(' ')[0]).toBe(expected);

  const down: TransferProgress[] = [];
  const back = join(scratch, 'back.bin');
  started = Date.now();
  await sandbox.download('/tmp/big/big.bin', back, { onProgress: (p) => down.push(p) });
  const downloadMs = Date.now() - started;
  expect((await stat(back)).size).toBe(SIZE);
  expect(await sha256(back)).toBe(expected);
  expect(down[down.length - 1]?.transferred).toBe(SIZE);
  process.stderr.write(`100 MB upload ${uploadMs} ms, download ${downloadMs} ms (docker runtime, loaded host)\n`);
});

it('arun nohup reports a non-zero exit code and leaks no session shell', async () => {
  const countShells = async (): Promise<number> => {
    const out = await sandbox.execute({ command: 'grep -l "^bash$" /proc/[0-9]*/comm 2>/dev/null | wc -l' });
    return Number(out.stdout.trim());
  };
  const before = await countShells();
  const result = await sandbox.arun('echo working; sleep 1; exit 42', { mode: 'nohup', waitInterval: 0.5 });
  expect(result).toEqual({ output: 'working', exitCode: 42, failureReason: 'exit code 42' });
  expect(await countShells()).toBe(before);
});

it('stop removes the container; the sandbox then reads as not alive', async () => {
  expect(instanceContainers().length).toBeGreaterThanOrEqual(1);
  await sandbox.stop();
  expect(await sandbox.isAlive()).toBe(false);
  expect((await sandbox.getStatus()).state).toBe('stopped');
  expect(instanceContainers()).toEqual([]);
});

it('SIGTERM stops local mode cleanly and takes its live sandboxes down with it', async () => {
  const survivor = new Sandbox({ baseUrl: server.baseUrl, image: 'rock-test-bash:latest' });
  await survivor.start();
  expect(instanceContainers()).toHaveLength(1);
  serverStopped = true;
  expect(await server.stop()).toBe(0);
  expect(server.output()).toContain('stopping 1 live sandbox(es)');
  expect(instanceContainers()).toEqual([]);
});
