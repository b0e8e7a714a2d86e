import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, TEST_IMAGES } from '@rock/testing';
import { buildImages, SERVICE_IMAGE, ServiceContainers, type ServiceEndpoint } from './service-containers';
import { dockerForTests } from '@rock/testing';

// The service image as a user runs it: write + read containers from rock/service:latest against
// the host's Redis and Docker engine; a sandbox created through write, a command run through read,
// the sandbox stopped through write.
jest.setTimeout(1_500_000);

const V1 = '/apis/envs/sandbox/v1';
const plane = new ServiceContainers();
let write: ServiceEndpoint;
let read: ServiceEndpoint;

interface Envelope<T> { status: string; result: T | null; error?: string | null; code?: number }

async function post<T>(endpoint: ServiceEndpoint, path: string, body: unknown, apiKey?: string): Promise<{ status: number; body: Envelope<T> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) };
  const res = await fetch(`${endpoint.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(180_000) });
  return { status: res.status, body: (await res.json()) as Envelope<T> };
}

let installed: { exitCode: number; output: string };

beforeAll(async () => {
  await buildImages(1_200_000);
  installed = await plane.installBundle();
  write = await plane.start('write', await freePort());
  read = await plane.start('read', await freePort());
});

afterAll(async () => {
  await plane.cleanup();
});

test('rock/rocklet-runtime installs the bundle with no shell: the init-container command is just the target directory', () => {
  expect(installed.exitCode).toBe(0);
  expect(installed.output).toContain(`rocklet bundle copied to ${plane.bundleDir}\n`);
  expect(statSync(join(plane.bundleDir, 'bin', 'node')).mode & 0o111).not.toBe(0);
  expect(existsSync(join(plane.bundleDir, 'rocklet.js'))).toBe(true);
});

test('the image runs as a non-root user under tini, one image for both services', async () => {
  const image = await dockerForTests().getImage(SERVICE_IMAGE).inspect();
  expect(image.Config.User).toBe('10001:10001');
  expect(image.Config.Entrypoint).toEqual(['/usr/local/bin/tini', '--']);
  const writeInfo = await write.container.inspect();
  const readInfo = await read.container.inspect();
  expect(writeInfo.Image).toBe(readInfo.Image);
});

test('a sandbox created through the write container runs a command through the read container, then stops', async () => {
  const sandboxId = `img-${plane.label.slice(-12)}`.replace(/[^a-z0-9-]/g, '');
  const started = await post<{ sandbox_id: string }>(write, `${V1}/start`, { image: TEST_IMAGES.busybox, sandbox_id: sandboxId, memory: '256m', cpus: 0.5, startup_timeout: 120 }, plane.apiKey);
  expect({ status: started.status, body: started.body }).toMatchObject({ status: 200, body: { status: 'Success', result: { sandbox_id: sandboxId } } });
  expect((await plane.sandboxContainers()).map((c) => c.State)).toEqual(['running']);

  const executed = await post<{ stdout: string; exit_code: number }>(read, `${V1}/execute`, { sandbox_id: sandboxId, command: 'echo hello-from-$((6*7))', shell: true }, plane.apiKey);
  expect(executed.body).toMatchObject({ status: 'Success', result: { stdout: 'hello-from-42\n', exit_code: 0 } });

  const anonymous = await post(read, `${V1}/execute`, { sandbox_id: sandboxId, command: 'true', shell: true });
  expect(anonymous.body.status).toBe('Failed');

  const stopped = await post<string>(write, `${V1}/stop`, { sandbox_id: sandboxId }, plane.apiKey);
  expect(stopped.body).toMatchObject({ status: 'Success', result: `${sandboxId} stopped` });
  const deadline = Date.now() + 60_000;
  while ((await plane.sandboxContainers()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  expect(await plane.sandboxContainers()).toEqual([]);
});
