import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleRockletCommand, LocalRuntime } from '@rock/runtime';
import { markedProcesses, processAlive, rockletBundleDir, uniqueTestLabel } from '@rock/testing';
import { execute, testSpec, uniqueSandboxId } from './runtime-test-kit';
import { slotDirs, waitFor } from './warm-pool-kit';

jest.setTimeout(120_000);

const REPO = resolve(__dirname, '..', '..');
const instance = uniqueTestLabel('warm-crash');
let rootDir: string;
const runtimes: LocalRuntime[] = [];

function pooledRuntime(size: number): { runtime: LocalRuntime; ready: () => number } {
  let ready = 0;
  const runtime = new LocalRuntime({
    rootDir,
    instance,
    rockletCommand: bundleRockletCommand(rockletBundleDir()),
    warmPool: { size, maxConcurrentSpawns: 2, observer: { size: (n) => (ready = n), take: () => undefined } },
  });
  runtimes.push(runtime);
  return { runtime, ready: () => ready };
}

const isLink = async (path: string): Promise<boolean> => (await lstat(path).catch(() => null))?.isSymbolicLink() === true;
const exists = async (path: string): Promise<boolean> => (await lstat(path).catch(() => null)) !== null;
const pidOf = (resourceId: string | undefined): number => Number(resourceId?.split(':')[1]);

/**
 * A control plane in a child process (no bwrap, no die-with-parent, so its rocklets outlive it):
 * fills a pool of 2, creates `kept` and waits until its link is on disk, then makes `fs.promises.<hang>`
 * never settle and creates `dropped`, so `dropped`'s persistence stops exactly there. Prints the pids.
 */
function ownerScript(kept: string, dropped: string, hang: 'writeFile' | 'symlink'): string {
  return `
    const fsp = require('node:fs/promises');
    const { join } = require('node:path');
    let hang = null;
    for (const name of ['writeFile', 'symlink']) {
      const original = fsp[name];
      fsp[name] = (...args) => (hang === name ? new Promise(() => undefined) : original(...args));
    }
    const { LocalRuntime, bundleRockletCommand } = require(${JSON.stringify(join(REPO, 'dist/libs/runtime/src'))});
    const rootDir = ${JSON.stringify(rootDir)};
    const spec = (sandboxId) => ({ sandboxId, image: 'any', memoryBytes: 1 << 28, cpus: 0.5, env: {}, pull: 'never', startupTimeoutMs: 20000, rockletToken: 'tok-crash' });
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    let full = false;
    const rt = new LocalRuntime({ rootDir, instance: ${JSON.stringify(instance)},
      rockletCommand: bundleRockletCommand(${JSON.stringify(rockletBundleDir())}), isolation: 'none', dieWithParent: false,
      warmPool: { size: 2, maxConcurrentSpawns: 2, observer: { size: (n) => { if (n === 2 && !full) { full = true; go().catch((e) => { console.error(e); process.exit(3); }); } }, take() {} } } });
    async function go() {
      const kept = await rt.create(spec(${JSON.stringify(kept)}));
      while (!(await fsp.lstat(join(rootDir, ${JSON.stringify(kept)})).catch(() => null))) await sleep(20);
      hang = ${JSON.stringify(hang)};
      await rt.create(spec(${JSON.stringify(dropped)}));
      const slotDir = rt.index.state(${JSON.stringify(dropped)}).slotDir;
      if (hang === 'symlink') {
        while (!(await fsp.readFile(join(slotDir, 'sandbox.json'), 'utf8')).includes(${JSON.stringify(`"sandboxId":"${dropped}"`)})) await sleep(20);
      }
      const pid = async (id) => (await rt.inspect(id)).resourceId.split(':')[1];
      console.log('READY ' + JSON.stringify({ kept: Number(await pid(${JSON.stringify(kept)})), dropped: Number(await pid(${JSON.stringify(dropped)})), slotDir }));
    }
    rt.start();
    setInterval(() => undefined, 1000);`;
}

/** Runs {@link ownerScript} until it reports, then SIGKILLs it. */
async function ownerKilledAfterHandOut(kept: string, dropped: string, hang: 'writeFile' | 'symlink'): Promise<{ kept: number; dropped: number; slotDir: string }> {
  const owner = spawn(process.execPath, ['-e', ownerScript(kept, dropped, hang)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((done) => owner.once('exit', done));
  let out = '';
  owner.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await waitFor('the owner handed out two rocklets', () => out.includes('READY') || owner.exitCode !== null);
    expect(owner.exitCode).toBeNull();
    return JSON.parse(out.slice(out.indexOf('READY ') + 6).split('\n')[0]) as { kept: number; dropped: number; slotDir: string };
  } finally {
    owner.kill('SIGKILL');
    await exited;
  }
}

beforeAll(async () => {
  rootDir = await mkdtemp(join(tmpdir(), 'rock-warm-crash-'));
  execFileSync(process.execPath, [join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'ignore' });
});

afterEach(async () => {
  for (const runtime of runtimes.splice(0)) {
    for (const resource of await runtime.list()) await runtime.destroy(resource.sandboxId);
    await runtime.close();
  }
});

afterAll(async () => {
  for (const pid of markedProcesses(instance)) process.kill(pid, 'SIGKILL');
  await rm(rootDir, { recursive: true, force: true });
});

describe('LocalRuntime warm pool: the hand-out before its state is on disk', () => {
  it.each(['writeFile', 'symlink'] as const)(
    'owner SIGKILLed while the taken rocklet is not yet recorded (%s pending): the next start kills and removes it, a recorded one is adopted',
    async (hang) => {
      const kept = uniqueSandboxId('kept');
      const dropped = uniqueSandboxId('dropped');
      const pids = await ownerKilledAfterHandOut(kept, dropped, hang);
      expect(processAlive(pids.kept)).toBe(true);
      expect(processAlive(pids.dropped)).toBe(true);
      expect(await exists(join(rootDir, dropped))).toBe(false);

      const { runtime, ready } = pooledRuntime(1);
      await runtime.start();
      // The unrecorded hand-out is gone (the reconciler then marks its record lost); the recorded one stays.
      expect(processAlive(pids.dropped)).toBe(false);
      expect(await exists(pids.slotDir)).toBe(false);
      expect(processAlive(pids.kept)).toBe(true);
      const listed = await runtime.list();
      expect(listed.map((r) => [r.sandboxId, r.running])).toEqual([[kept, true]]);
      expect([...(await slotDirs(rootDir)).taken.values()]).toEqual([{ sandboxId: kept, pid: pids.kept }]);

      await waitFor('the new pool of 1', () => ready() === 1);
      await runtime.destroy(kept);
      expect(processAlive(pids.kept)).toBe(false);
      expect(await exists(join(rootDir, kept))).toBe(false);
      expect((await slotDirs(rootDir)).taken.size).toBe(0);
      await runtime.close();
      expect(markedProcesses(instance)).toEqual([]);
    },
  );

  it('a destroy or list that comes right after a warm create sees the sandbox; destroy leaves no process, link or slot', async () => {
    const { runtime, ready } = pooledRuntime(2);
    await runtime.start();
    await waitFor('pool of 2 ready', () => ready() === 2);
    const ids = [uniqueSandboxId('fast-a'), uniqueSandboxId('fast-b')];
    const handles = await Promise.all(ids.map((id) => runtime.create(testSpec(id))));
    // Same tick as the hand-out: nothing of it can be on disk yet.
    const [listed, inspected] = await Promise.all([runtime.list(), runtime.inspect(ids[0])]);
    expect(listed.filter((r) => ids.includes(r.sandboxId)).map((r) => r.running)).toEqual([true, true]);
    expect(inspected).toMatchObject({ status: 'running', running: true });
    const pid = pidOf(inspected?.resourceId);
    expect(processAlive(pid)).toBe(true);

    await runtime.destroy(ids[0]);
    expect(processAlive(pid)).toBe(false);
    expect(await exists(join(rootDir, ids[0]))).toBe(false);
    expect(await runtime.inspect(ids[0])).toBeNull();
    expect((await runtime.list()).map((r) => r.sandboxId)).toEqual([ids[1]]);
    // The other one is intact and recorded.
    await waitFor('the link of the second sandbox', () => isLink(join(rootDir, ids[1])), 10_000);
    expect((await execute(handles[1], handles[1].rockletToken ?? '', ['echo', 'ok'])).body.stdout).toBe('ok\n');
    expect([...(await slotDirs(rootDir)).taken.values()].map((t) => t.sandboxId)).toEqual([ids[1]]);
    // destroy is idempotent.
    await runtime.destroy(ids[0]);
  });

  it('close() right after a warm create lets its state land: the next runtime lists the sandbox and destroys it completely', async () => {
    const first = pooledRuntime(1);
    await first.runtime.start();
    await waitFor('pool of 1 ready', () => first.ready() === 1);
    const id = uniqueSandboxId('closed');
    await first.runtime.create(testSpec(id));
    const pid = pidOf((await first.runtime.inspect(id))?.resourceId);
    await first.runtime.close();
    runtimes.splice(runtimes.indexOf(first.runtime), 1);
    expect(await isLink(join(rootDir, id))).toBe(true);

    const second = pooledRuntime(1);
    await second.runtime.start();
    expect((await second.runtime.list()).map((r) => [r.sandboxId, r.running])).toEqual([[id, true]]);
    await second.runtime.destroy(id);
    expect(processAlive(pid)).toBe(false);
    expect(await exists(join(rootDir, id))).toBe(false);
    expect((await slotDirs(rootDir)).taken.size).toBe(0);
  });

  it('a foreign sandbox directory that appears unseen at the id is left alone and the taken rocklet is ended', async () => {
    const { runtime, ready } = pooledRuntime(1);
    await runtime.start();
    await waitFor('pool of 1 ready', () => ready() === 1);
    const id = uniqueSandboxId('race');
    // Planted in the same tick as the create: the root's watch cannot have reported it yet.
    mkdirSync(join(rootDir, id));
    writeFileSync(join(rootDir, id, 'sandbox.json'), JSON.stringify({ sandboxId: id, instance: 'someone-else' }));
    const handle = await runtime.create(testSpec(id));
    expect(handle.rockletToken).toBeDefined();
    const pid = pidOf((await runtime.inspect(id))?.resourceId);
    expect(pid).toBeGreaterThan(0);
    await waitFor('the taken rocklet is dropped', async () => (await runtime.list()).length === 0 && (await slotDirs(rootDir)).taken.size === 0, 10_000);
    expect(await runtime.inspect(id)).toBeNull();
    expect(JSON.parse(await readFile(join(rootDir, id, 'sandbox.json'), 'utf8'))).toEqual({ sandboxId: id, instance: 'someone-else' });
    expect(await readdir(join(rootDir, id))).toEqual(['sandbox.json']);
    await waitFor('the taken rocklet ended', () => !processAlive(pid), 10_000);
    await rm(join(rootDir, id), { recursive: true, force: true });
  });
});
