import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runToEnd, type ProcessRun } from '@rock/testing';
import { buildDist, REPO_ROOT, startLocalServer, type LocalServer } from './local-server.fixture';

// The examples/ scripts and the publishable @rock/client package they import, against local mode.
jest.setTimeout(300_000);

let server: LocalServer;

function run(command: string, args: string[], env: Record<string, string> = {}, timeoutMs = 240_000): Promise<ProcessRun> {
  return runToEnd(command, args, { cwd: REPO_ROOT, env, timeoutMs });
}

beforeAll(async () => {
  buildDist();
  const pkg = await run(process.execPath, [join(REPO_ROOT, 'libs', 'client', 'scripts', 'build.mjs')]);
  if (pkg.code !== 0) throw new Error(`@rock/client package build failed: ${pkg.stderr}`);
  server = await startLocalServer('local', 'examples');
});

afterAll(async () => {
  if (server) expect(await server.stop()).toBe(0);
});

it('the package build is standalone: CJS and ESM entries, declarations without @rock/ aliases, no zod or services at run time', async () => {
  const dist = join(REPO_ROOT, 'libs', 'client', 'dist');
  const cjs = await readFile(join(dist, 'index.cjs'), 'utf8');
  expect(cjs).not.toMatch(/require\("(zod|@rock\/[a-z-]+)"\)/);
  expect(cjs).not.toContain('services/');
  const types = await readFile(join(dist, 'types', 'libs', 'client', 'src', 'sandbox.d.ts'), 'utf8');
  expect(types).not.toMatch(/from ['"]@rock\//);
  expect(types).toContain('getStatus(): Promise<SandboxStatus>');
  const both = await run(process.execPath, [
    '--input-type=module',
    '-e',
    "import { Sandbox } from '@rock/client'; import { createRequire } from 'node:module'; const c = createRequire(import.meta.url)('@rock/client'); console.log(typeof Sandbox, typeof c.Sandbox, typeof c.make);",
  ]);
  expect(both.stdout.trim()).toBe('function function function');
});

it('examples/rollout.mjs runs 20 concurrent sandboxes and stops them all', async () => {
  const result = await run(process.execPath, ['examples/rollout.mjs', '--size', '20'], { ROCK_BASE_URL: server.baseUrl });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/started 20 sandboxes in \d+ ms/);
  expect(result.stdout).toMatch(/rollout done: 20\/20 workers correct/);
  const listing = (await (await fetch(`${server.baseUrl}/apis/envs/sandbox/v1/sandboxes?metadata.example=rollout`)).json()) as { result: { total: number } };
  expect(listing.result.total).toBe(0);
  process.stderr.write(`${result.stdout.split('\n').filter((line) => /started|rollout done/.test(line)).join('\n')}\n`);
});

it('examples/gem-episode.mjs plays episodes to the end and closes the env', async () => {
  const result = await run(process.execPath, ['examples/gem-episode.mjs', '--episodes', '2', '--seed', '5'], { ROCK_BASE_URL: server.baseUrl });
  expect(result.code).toBe(0);
  expect(result.stdout.match(/Congratulations! You guessed the correct number/g)).toHaveLength(2);
  expect(result.stdout).toMatch(/episode 1 return 1\n/);
  expect(result.stdout.trim().endsWith('env closed')).toBe(true);
});
