import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleRockletCommand, LocalRuntime, RuntimeError, type LocalRuntimeOptions } from '@rock/runtime';
import { rockletBundleDir, uniqueTestLabel } from '@rock/testing';
import { execute, FULL_CREATE_TRAIL, isAlive, percentile, phaseLog, testSpec, uniqueSandboxId } from './runtime-test-kit';

jest.setTimeout(180_000);

const instance = uniqueTestLabel('runtime-local');
let rootDir: string;

function localRuntime(overrides: Partial<LocalRuntimeOptions> = {}): LocalRuntime {
  return new LocalRuntime({ rootDir, instance, rockletCommand: bundleRockletCommand(rockletBundleDir()), ...overrides });
}

/** Host pids of every live process whose environment carries `NAME=value` (found through /proc). */
async function processesWithEnv(entry: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const environ = await readFile(`/proc/${name}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').includes(entry) && (await alive(Number(name)))) found.push(Number(name));
  }
  return found;
}

async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

async function statePid(sandboxId: string): Promise<number> {
  return (JSON.parse(await readFile(join(rootDir, sandboxId, 'sandbox.json'), 'utf8')) as { pid: number }).pid;
}

beforeAll(async () => {
  rootDir = await mkdtemp(join(tmpdir(), 'rock-local-test-'));
});

afterAll(async () => {
  const runtime = localRuntime();
  for (const resource of await runtime.list()) await runtime.destroy(resource.sandboxId);
  await rm(rootDir, { recursive: true, force: true });
});

describe('LocalRuntime', () => {
  it.each(['auto', 'none'] as const)('isolation %s: create → rocklet answers with env and token → destroy kills the whole process tree', async (isolation) => {
    const runtime = localRuntime({ isolation });
    const id = uniqueSandboxId(`loc-${isolation}`);
    const phases = phaseLog();
    const spec = testSpec(id, { env: { GREETING: 'hi local', SANDBOX_MARK: id } });
    const handle = await runtime.create(spec, { onPhase: phases.onPhase });

    expect(phases.trail()).toEqual(FULL_CREATE_TRAIL);
    expect(handle).toMatchObject({ sandboxId: id, address: '127.0.0.1', hostIp: '127.0.0.1', portMapping: { '22555': String(handle.rockletPort) } });
    expect(await isAlive(handle)).toBe(true);
    const echoed = await execute(handle, spec.rockletToken, ['sh', '-c', 'echo "$GREETING in $PWD"; sleep 300 >/dev/null 2>&1 & true']);
    expect(echoed.body.stdout?.trim()).toBe(`hi local in ${join(rootDir, id, 'home')}`);
    expect((await execute(handle, 'wrong', ['true'])).status).toBe(401);
    if (isolation === 'auto') expect(await runtime.isolation()).toBe('/usr/bin/bwrap');

    // rocklet (plus bwrap's init) and the daemonized sleep, which left rocklet's process group.
    const tree = await processesWithEnv(`SANDBOX_MARK=${id}`);
    expect(tree).toContain(await statePid(id));
    expect(tree.length).toBeGreaterThanOrEqual(2);
    await runtime.destroy(id);
    for (const pid of tree) expect(await alive(pid)).toBe(false);
    expect(await readdir(rootDir)).not.toContain(id);
    expect(await runtime.inspect(id)).toBeNull();
    await runtime.destroy(id);
  });

  it('finds sandboxes again after the driver object is discarded, and tells a reused pid from the sandbox', async () => {
    const first = localRuntime();
    const id = uniqueSandboxId('orphan');
    const handle = await first.create(testSpec(id));
    await first.close();

    const second = localRuntime();
    const listed = await second.list();
    expect(listed.find((r) => r.sandboxId === id)).toMatchObject({ running: true, image: 'rock-test-busybox:latest' });
    expect(await second.inspect(id)).toMatchObject({ running: true, status: 'running', address: '127.0.0.1' });

    // A state file whose pid now belongs to another process (different start time) is not running.
    const ghost = uniqueSandboxId('ghost');
    const state = { sandboxId: ghost, instance, image: 'x', pid: process.pid, startTime: '1', port: 1, isolation: 'none', createdAt: new Date().toISOString(), labels: {} };
    await mkdir(join(rootDir, ghost));
    await writeFile(join(rootDir, ghost, 'sandbox.json'), JSON.stringify(state));
    expect((await second.list()).find((r) => r.sandboxId === ghost)).toMatchObject({ running: false });
    await second.destroy(ghost);
    expect(await alive(process.pid)).toBe(true);

    await second.destroy(id);
    expect(await isAlive(handle)).toBe(false);
    expect((await second.list()).map((r) => r.sandboxId)).not.toContain(id);
  });

  it('never lists or destroys another instance’s sandboxes in the same root', async () => {
    const mine = localRuntime();
    const other = localRuntime({ instance: `${instance}-other` });
    const id = uniqueSandboxId('theirs');
    const handle = await other.create(testSpec(id));
    expect((await mine.list()).map((r) => r.sandboxId)).not.toContain(id);
    await mine.destroy(id);
    expect(await isAlive(handle)).toBe(true);
    const err = await mine.create(testSpec(id)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err).toMatchObject({ code: 'CONFLICT', phase: 'container_create' });
    await other.destroy(id);
  });

  it('a rocklet that cannot start fails in rocklet_ready with its output and leaves nothing behind', async () => {
    const runtime = localRuntime({ isolation: 'none' });
    const id = uniqueSandboxId('broken');
    const phases = phaseLog();
    const err = await runtime.create(testSpec(id, { env: { ROCKLET_MAX_OUTPUT_BYTES: 'nope' } }), { onPhase: phases.onPhase }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect(err).toMatchObject({ code: 'SANDBOX_EXITED', phase: 'rocklet_ready', transient: false });
    expect((err as Error).message).toContain('ROCKLET_MAX_OUTPUT_BYTES');
    expect(phases.trail().slice(-1)).toEqual(['rocklet_ready:failed']);
    expect(await readdir(rootDir)).not.toContain(id);
  });

  it('a rocklet that never answers fails with STARTUP_TIMEOUT at the deadline and is killed', async () => {
    // `sh -c 'exec sleep 30' rocklet --host … --port …`: runs, never listens.
    const runtime = localRuntime({ rockletCommand: ['/bin/sh', '-c', 'exec sleep 30', 'rocklet'] });
    const id = uniqueSandboxId('mute');
    const phases = phaseLog();
    const started = Date.now();
    const err = await runtime.create(testSpec(id, { startupTimeoutMs: 700, env: { SANDBOX_MARK: id } }), { onPhase: phases.onPhase }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err).toMatchObject({ code: 'STARTUP_TIMEOUT', phase: 'rocklet_ready', transient: true });
    expect(phases.trail().slice(-1)).toEqual(['rocklet_ready:timeout']);
    expect(await processesWithEnv(`SANDBOX_MARK=${id}`)).toEqual([]);
    expect(await readdir(rootDir)).not.toContain(id);
  });

  it('aborting a create rejects with ABORTED and leaves nothing behind', async () => {
    const runtime = localRuntime();
    const id = uniqueSandboxId('abort');
    const controller = new AbortController();
    const err = await runtime
      .create(testSpec(id, { env: { SANDBOX_MARK: id } }), {
        signal: controller.signal,
        onPhase: (u) => {
          if (u.phase === 'container_start' && u.status === 'success') controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ABORTED' });
    expect(await processesWithEnv(`SANDBOX_MARK=${id}`)).toEqual([]);
    expect(await readdir(rootDir)).not.toContain(id);
  });

  it('a missing rocklet binary fails in container_start naming it', async () => {
    const runtime = localRuntime({ rockletCommand: ['/nonexistent/rocklet'] });
    const id = uniqueSandboxId('nobin');
    const err = await runtime.create(testSpec(id)).catch((e: unknown) => e);
    expect(err).toMatchObject({ phase: 'container_start' });
    expect((err as Error).message).toContain('/nonexistent/rocklet');
    expect(await readdir(rootDir)).not.toContain(id);
  });

  it('maxConcurrentStarts: 1 boots one rocklet at a time and all creates succeed', async () => {
    const runtime = localRuntime({ maxConcurrentStarts: 1 });
    const ids = [0, 1, 2].map((i) => uniqueSandboxId(`slot${i}`));
    const events: string[] = [];
    const handles = await Promise.all(
      ids.map((id, i) =>
        runtime.create(testSpec(id), {
          onPhase: (u) => {
            if ((u.phase === 'container_start' || u.phase === 'rocklet_ready') && u.status === 'success') events.push(`${i}:${u.phase}`);
          },
        }),
      ),
    );
    // Launched (container_start success) and ready strictly alternate, sandbox by sandbox.
    expect(events).toHaveLength(6);
    for (let k = 0; k < 6; k += 2) {
      expect(events[k].split(':')).toEqual([events[k + 1].split(':')[0], 'container_start']);
      expect(events[k + 1].endsWith('rocklet_ready')).toBe(true);
    }
    expect((await Promise.all(handles.map((h) => isAlive(h)))).every(Boolean)).toBe(true);
    await Promise.all(ids.map((id) => runtime.destroy(id)));
  });

  it('sequential creates: prints the single-create latency', async () => {
    const runtime = localRuntime();
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const id = uniqueSandboxId(`seq${i}`);
      const t0 = Date.now();
      const handle = await runtime.create(testSpec(id));
      latencies.push(Date.now() - t0);
      expect(await isAlive(handle)).toBe(true);
      await runtime.destroy(id);
    }
    console.log(`local runtime, 5 sequential creates: p50 ${percentile(latencies, 50)} ms, max ${Math.max(...latencies)} ms`);
  });

  it('100 concurrent creates all succeed (prints p50/p99)', async () => {
    const runtime = localRuntime();
    const ids = Array.from({ length: 100 }, (_, i) => uniqueSandboxId(`c${i}`));
    const latencies: number[] = [];
    const started = Date.now();
    const handles = await Promise.all(
      ids.map(async (id) => {
        const t0 = Date.now();
        const handle = await runtime.create(testSpec(id, { startupTimeoutMs: 150_000 }));
        latencies.push(Date.now() - t0);
        return handle;
      }),
    );
    const wall = Date.now() - started;
    expect(new Set(handles.map((h) => h.rockletPort)).size).toBe(100);
    const answers = await Promise.all(handles.map((h) => isAlive(h)));
    expect(answers.every(Boolean)).toBe(true);
    console.log(
      `local runtime, 100 concurrent creates: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, all ready in ${wall} ms`,
    );
    const t0 = Date.now();
    await Promise.all(ids.map((id) => runtime.destroy(id)));
    console.log(`local runtime, 100 concurrent destroys: ${Date.now() - t0} ms`);
    expect((await runtime.list()).filter((r) => ids.includes(r.sandboxId))).toEqual([]);
  });
});
