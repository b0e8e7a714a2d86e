import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runToEnd, type ProcessRun } from '@rock/testing';
import { buildDist, REPO_ROOT, startLocalServer, type LocalServer } from '../client/local-server.fixture';

// The README's SDK quickstart and GEM snippet, extracted and run verbatim against local mode, so the
// README cannot drift from what the SDK and the server really do.
jest.setTimeout(300_000);

/** The ```js block that follows `<!-- readme-test: <name> -->` in README.md. */
function readmeBlock(name: string): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- readme-test: ${name} -->\\n\`\`\`js\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no \`<!-- readme-test: ${name} -->\` js block`);
  return match[1];
}

function runNode(file: string, env: Record<string, string>, timeoutMs = 180_000): Promise<ProcessRun> {
  return runToEnd(process.execPath, [file], { cwd: REPO_ROOT, env, timeoutMs });
}

/** Writes the block inside the checkout, so `@rock/client` resolves as it does for a user there. */
function writeSnippet(name: string): string {
  const dir = join(REPO_ROOT, '.cache', 'readme-test');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, `${readmeBlock(name)}\n`);
  return file;
}

let server: LocalServer;

beforeAll(async () => {
  buildDist();
  const pkg = await runNode(join(REPO_ROOT, 'libs', 'client', 'scripts', 'build.mjs'), {});
  if (pkg.code !== 0) throw new Error(`@rock/client package build failed: ${pkg.stderr}`);
  server = await startLocalServer('docker', 'readme');
});

afterAll(async () => {
  if (server) expect(await server.stop()).toBe(0);
});

it('the SDK quickstart runs verbatim: session state, execute, files, stop', async () => {
  const result = await runNode(writeSnippet('quickstart'), { ROCK_BASE_URL: server.baseUrl });
  expect({ code: result.code, stderrTail: result.stderr.slice(-2000) }).toEqual({ code: 0, stderrTail: expect.stringContaining('state: running') });
  expect(result.stdout.split('\n')).toEqual(['hello from /tmp', 'Linux 0', 'written by the SDK', '']);
  const listing = (await (await fetch(`${server.baseUrl}/apis/envs/sandbox/v1/sandboxes`)).json()) as { result: { total: number } };
  expect(listing.result.total).toBe(0);
});

it('the GEM snippet plays GuessTheNumber to a win by bisection', async () => {
  const result = await runNode(writeSnippet('gem'), { ROCK_BASE_URL: server.baseUrl });
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  expect(result.stdout).toMatch(/^reward 1: Congratulations! You guessed the correct number \d+ in \d+ turns\.\n$/);
});
