import { spawn, execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleRockletCommand, LocalRuntime, WARM_POOL_DIR, type LocalRuntimeOptions, type WarmPoolOutcome } from '@rock/runtime';
import { processAlive, rockletBundleDir, uniqueTestLabel } from '@rock/testing';
import { execute, isAlive, phaseLog, testSpec, uniqueSandboxId } from './runtime-test-kit';
import { slotDirs, waitFor } from './warm-pool-kit';

jest.setTimeout(180_000);

const REPO = resolve(__dirname, '..', '..');
const instance = uniqueTestLabel('warm-pool');
let rootDir: string;
const runtimes: LocalRuntime[] = [];

/** Counts what the pool reports, like the write service's metrics do. */
function observed(): { ready: number; takes: WarmPoolOutcome[]; observer: { size: (n: number) => void; take: (o: WarmPoolOutcome) => void } } {
  const seen = { ready: 0, takes: [] as WarmPoolOutcome[] };
  return Object.assign(seen, { observer: { size: (n: number) => (seen.ready = n), take: (o: WarmPoolOutcome) => seen.takes.push(o) } });
}

function pooledRuntime(size: number, overrides: Partial<LocalRuntimeOptions> = {}): { runtime: LocalRuntime; seen: ReturnType<typeof observed> } {
  const seen = observed();
  const runtime = new LocalRuntime({
    rootDir,
    instance,
    rockletCommand: bundleRockletCommand(rockletBundleDir()),
    warmPool: { size, maxConcurrentSpawns: 2, observer: seen.observer },
    ...overrides,
  });
  runtimes.push(runtime);
  return { runtime, seen };
}


/** Live host processes whose environment has an entry starting with `prefix`. */
async function processesWithEnvPrefix(prefix: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const environ = await readFile(`/proc/${name}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').some((e) => e.startsWith(prefix)) && processAlive(Number(name))) found.push(Number(name));
  }
  return found;
}

const warmProcesses = (): Promise<number[]> => processesWithEnvPrefix(`ROCK_LOCAL_WARM=${instance}/`);

/** Distinct `ROCK_LOCAL_WARM` values (one per pooled or pool-born rocklet) among live processes. */
async function warmMarkerValues(): Promise<Set<string>> {
  const values = new Set<string>();
  for (const pid of await warmProcesses()) {
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    for (const entry of environ.split('\0')) if (entry.startsWith(`ROCK_LOCAL_WARM=${instance}/`)) values.add(entry);
  }
  return values;
}

/** Pids recorded by the pool's ready slots (not the slots sandboxes took). */
async function slotPids(): Promise<number[]> {
  return [...(await slotDirs(rootDir)).pooled.values()];
}

async function statePid(sandboxId: string): Promise<number> {
  return (JSON.parse(await readFile(join(rootDir, sandboxId, 'sandbox.json'), 'utf8')) as { pid: number }).pid;
}

beforeAll(async () => {
  rootDir = await mkdtemp(join(tmpdir(), 'rock-warm-pool-'));
});

afterEach(async () => {
  for (const runtime of runtimes.splice(0)) {
    for (const resource of await runtime.list()) await runtime.destroy(resource.sandboxId);
    await runtime.close();
  }
});

afterAll(async () => {
  for (const pid of await warmProcesses()) process.kill(pid, 'SIGKILL');
  await rm(rootDir, { recursive: true, force: true });
});

describe('LocalRuntime warm pool', () => {
  it('a create takes a pre-started rocklet, links the sandbox id to its slot, and the pool refills', async () => {
    const { runtime, seen } = pooledRuntime(2);
    await runtime.start();
    await waitFor('pool of 2 ready', () => seen.ready === 2);
    const pooled = await slotPids();
    expect(pooled).toHaveLength(2);
    expect(await runtime.list()).toEqual([]);

    const id = uniqueSandboxId('warm');
    const phases = phaseLog();
    const spec = testSpec(id, { env: { GREETING: 'hi' } });
    const started = Date.now();
    const handle = await runtime.create(spec, { onPhase: phases.onPhase });
    const createMs = Date.now() - started;

    expect(seen.takes).toEqual(['hit']);
    // The rocklet keeps running in its slot; <root>/<id> links there once its state is on disk.
    await waitFor('the sandbox link', async () => (await lstat(join(rootDir, id)).catch(() => null))?.isSymbolicLink() === true, 10_000);
    expect(pooled).toContain(await statePid(id));
    expect(phases.trail()).toEqual([
      'image_pull:running', 'image_pull:success', 'container_create:running', 'container_create:success',
      'container_start:running', 'container_start:success', 'rocklet_ready:running', 'rocklet_ready:success',
    ]);
    expect(phases.updates.find((u) => u.phase === 'container_create' && u.status === 'success')?.message).toMatch(/from the warm pool/);
    expect(createMs).toBeLessThan(2000);
    expect(handle.rockletToken).toMatch(/^[0-9a-f]{48}$/);
    expect(await isAlive(handle)).toBe(true);
    // The pooled rocklet requires its own token (the caller stores it), not the spec's.
    expect((await execute(handle, spec.rockletToken, ['true'])).status).toBe(401);
    const where = await execute(handle, handle.rockletToken ?? '', ['sh', '-c', 'pwd -P; cd "$HOME" && pwd -P']);
    const home = await realpath(join(rootDir, id, 'home'));
    expect(home).toMatch(new RegExp(`/${WARM_POOL_DIR}/warm-[0-9a-f]+/home$`));
    expect(where.body.stdout).toBe(`${home}\n${home}\n`);
    expect(await readFile(join(rootDir, id, 'rocklet.log'), 'utf8')).not.toBe('');

    const listed = await runtime.list();
    expect(listed.map((r) => r.sandboxId)).toEqual([id]);
    expect(listed[0]).toMatchObject({ running: true, image: spec.image });
    expect(listed[0].labels).toMatchObject({ 'rock.sandbox-id': id });
    expect(await runtime.inspect(id)).toMatchObject({ status: 'running', running: true });

    await waitFor('pool refilled to 2', () => seen.ready === 2);
    const refilled = await slotPids();
    expect(refilled).toHaveLength(2);
    expect(refilled).not.toContain(await statePid(id));

    const { marker } = JSON.parse(await readFile(join(rootDir, id, 'sandbox.json'), 'utf8')) as { marker: string };
    expect(marker).toMatch(new RegExp(`^ROCK_LOCAL_WARM=${instance}/warm-`));
    const tree = await processesWithEnvPrefix(marker);
    expect(tree).toContain(await statePid(id));
    await runtime.destroy(id);
    for (const pid of tree) expect(processAlive(pid)).toBe(false);
    expect(await readdir(rootDir)).not.toContain(id);
    // No alias symlink of the taken slot is left in the pool directory.
    expect((await readdir(join(rootDir, WARM_POOL_DIR))).length).toBe(2);
    expect(await runtime.inspect(id)).toBeNull();
  });

  it('a warm create replaces a stateless leftover directory of the same id and refuses a sandbox of another instance', async () => {
    const { runtime, seen } = pooledRuntime(1);
    await runtime.start();
    await waitFor('pool of 1 ready', () => seen.ready === 1);
    const id = uniqueSandboxId('leftover');
    await mkdir(join(rootDir, id, 'home'), { recursive: true });
    await writeFile(join(rootDir, id, 'home', 'junk'), 'x');
    const handle = await runtime.create(testSpec(id));
    expect(seen.takes).toEqual(['hit']);
    expect((await execute(handle, handle.rockletToken ?? '', ['ls', '-A'])).body.stdout).toBe('');
    // The leftover directory gives way to the link to the taken slot.
    await waitFor('the sandbox link', async () => (await lstat(join(rootDir, id)).catch(() => null))?.isSymbolicLink() === true, 10_000);
    expect(await readdir(join(rootDir, id, 'home'))).toEqual([]);
    expect((await runtime.list()).map((r) => r.sandboxId)).toEqual([id]);

    const foreign = uniqueSandboxId('foreign');
    await mkdir(join(rootDir, foreign), { recursive: true });
    await writeFile(join(rootDir, foreign, 'sandbox.json'), JSON.stringify({ sandboxId: foreign, instance: 'someone-else' }));
    await waitFor('pool refilled', () => seen.ready === 1);
    await expect(runtime.create(testSpec(foreign))).rejects.toMatchObject({ code: 'CONFLICT' });
    // The rocklet taken for the refused create is not leaked.
    await waitFor('pool refilled again', () => seen.ready === 1);
    expect(await slotPids()).toHaveLength(1);
    // Live pool-born rocklets: the 'leftover' sandbox and the one pool slot, nothing else.
    await waitFor('only two pool-born rocklets', async () => (await warmMarkerValues()).size === 2, 10_000);
    await rm(join(rootDir, foreign), { recursive: true, force: true });
  });

  it('an empty pool falls back to cold starts; every create succeeds and works with its own token', async () => {
    const pool = pooledRuntime(1);
    await pool.runtime.start();
    await waitFor('pool of 1 ready', () => pool.seen.ready === 1);
    const ids = [0, 1, 2].map((i) => uniqueSandboxId(`burst-${i}`));
    const specs = ids.map((id) => testSpec(id));
    const handles = await Promise.all(specs.map((spec) => pool.runtime.create(spec)));
    expect([...pool.seen.takes].sort()).toEqual(['hit', 'miss', 'miss']);
    for (const [i, handle] of handles.entries()) {
      const token = handle.rockletToken ?? specs[i].rockletToken;
      expect((await execute(handle, token, ['echo', ids[i]])).body.stdout).toBe(`${ids[i]}\n`);
    }
    expect(handles.filter((h) => h.rockletToken !== undefined)).toHaveLength(1);
  });

  it('a spec whose env configures rocklet itself bypasses the pool and gets a cold rocklet with that env', async () => {
    const { runtime, seen } = pooledRuntime(1);
    await runtime.start();
    await waitFor('pool of 1 ready', () => seen.ready === 1);
    const before = await slotPids();
    const id = uniqueSandboxId('bypass');
    const spec = testSpec(id, { env: { ROCKLET_MAX_OUTPUT_BYTES: '64', MARK: id } });
    const handle = await runtime.create(spec);
    expect(seen.takes).toEqual(['bypass']);
    expect(handle.rockletToken).toBeUndefined();
    expect(await slotPids()).toEqual(before);
    const out = await execute(handle, spec.rockletToken, ['sh', '-c', 'head -c 500 /dev/zero | tr "\\0" x']);
    expect(out.body.stdout?.length).toBeLessThan(200);
  });

  it('a pooled rocklet that dies while idle is replaced', async () => {
    const { runtime, seen } = pooledRuntime(1);
    await runtime.start();
    await waitFor('pool of 1 ready', () => seen.ready === 1);
    const [victim] = await slotPids();
    process.kill(victim, 'SIGKILL');
    await waitFor('a replacement rocklet', async () => seen.ready === 1 && (await slotPids()).some((pid) => pid !== victim));
    expect(await slotPids()).toHaveLength(1);
    const id = uniqueSandboxId('after-death');
    const handle = await runtime.create(testSpec(id));
    expect(seen.takes).toEqual(['hit']);
    expect(await isAlive(handle)).toBe(true);
  });

  it('close() drains the pool, also while rocklets are still booting', async () => {
    const { runtime, seen } = pooledRuntime(2);
    await runtime.start();
    await new Promise((r) => setTimeout(r, 30));
    await runtime.close();
    expect(await warmProcesses()).toEqual([]);
    const second = pooledRuntime(2);
    await second.runtime.start();
    await waitFor('pool of 2 ready', () => second.seen.ready === 2);
    expect((await warmProcesses()).length).toBeGreaterThanOrEqual(2);
    await second.runtime.close();
    expect(await warmProcesses()).toEqual([]);
    expect(await readdir(join(rootDir, WARM_POOL_DIR))).toEqual([]);
    expect(seen.ready).toBe(0);
  });

  it('pooled rocklets of a SIGKILLed owner are removed when the next runtime starts', async () => {
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'ignore' });
    // isolation none + no die-with-parent: the orphans survive their owner, as they would without bwrap.
    const script = `
      const { LocalRuntime, bundleRockletCommand } = require(${JSON.stringify(join(REPO, 'dist/libs/runtime/src'))});
      const rt = new LocalRuntime({ rootDir: ${JSON.stringify(rootDir)}, instance: ${JSON.stringify(instance)},
        rockletCommand: bundleRockletCommand(${JSON.stringify(rockletBundleDir())}), isolation: 'none', dieWithParent: false,
        warmPool: { size: 2, maxConcurrentSpawns: 2, observer: { size: (n) => n === 2 && console.log('POOL_FULL'), take() {} } } });
      rt.start();
      setInterval(() => undefined, 1000);`;
    const owner = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((done) => owner.once('exit', done));
    let out = '';
    owner.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('the owner filled its pool', () => out.includes('POOL_FULL') || owner.exitCode !== null);
    const orphans = await slotPids();
    expect(orphans).toHaveLength(2);
    owner.kill('SIGKILL');
    await exited;
    for (const pid of orphans) expect(processAlive(pid)).toBe(true);

    const { runtime, seen } = pooledRuntime(1);
    await runtime.start();
    for (const pid of orphans) expect(processAlive(pid)).toBe(false);
    await waitFor('new pool of 1 ready', () => seen.ready === 1);
    const fresh = await warmProcesses();
    expect(fresh.filter((pid) => orphans.includes(pid))).toEqual([]);
    expect(await slotPids()).toHaveLength(1);
    await runtime.close();
    expect(await warmProcesses()).toEqual([]);
  });
});
