import { loadConfig } from '@rock/config';
import { describeRejection, type CreateResult, type SandboxRegistry } from '@rock/registry';
import { registryFixture, sandboxRecord, type RegistryFixture } from './registry-fixture';

function tally(results: CreateResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.ok ? 'ok' : r.reason === 'rejected' ? r.limit : r.reason;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('SandboxRegistry admission (real Redis, concurrent replicas)', () => {
  let f: RegistryFixture;
  let replicas: SandboxRegistry[];
  beforeEach(() => {
    f = registryFixture();
    replicas = [f.registry, f.replica(), f.replica(), f.replica(), f.replica()];
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('admits exactly 10 of 50 parallel creates against a cap of 10 (ROCK_MAX_SANDBOXES)', async () => {
    const limits = loadConfig({ ROCK_MAX_SANDBOXES: '10' }).admission;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => replicas[i % replicas.length]!.create(sandboxRecord(), limits)),
    );
    expect(tally(results)).toEqual({ ok: 10, max_sandboxes: 40 });
    expect(await f.registry.liveTotals()).toMatchObject({ count: 10 });
    expect(await f.registry.aliveIds()).toHaveLength(10);
    const rejected = results.find((r) => !r.ok);
    expect(rejected).toEqual({ ok: false, reason: 'rejected', limit: 'max_sandboxes', current: 10, max: 10 });
  });

  it('frees capacity when a sandbox stops, so the next create is admitted', async () => {
    const first = sandboxRecord();
    expect((await f.registry.create(first, { maxSandboxes: 1 })).ok).toBe(true);
    expect(tally([await f.registry.create(sandboxRecord(), { maxSandboxes: 1 })])).toEqual({ max_sandboxes: 1 });
    await f.registry.transition(first.sandbox_id, ['pending', 'running'], 'stopped', 'stop');
    expect((await f.registry.create(sandboxRecord(), { maxSandboxes: 1 })).ok).toBe(true);
  });

  it('caps total CPUs and memory without float drift', async () => {
    const cpuResults = await Promise.all(
      Array.from({ length: 20 }, (_, i) => replicas[i % 5]!.create(sandboxRecord({ cpus: 0.1 }), { maxCpus: 1 })),
    );
    expect(tally(cpuResults)).toEqual({ ok: 10, max_millicpus: 10 });
    const totals = await f.registry.liveTotals();
    expect(totals.cpus).toBe(1);
    const maxMemoryBytes = totals.memoryBytes + 4 * 1024 ** 3;
    const memResults = await Promise.all(
      Array.from({ length: 6 }, () => f.registry.create(sandboxRecord({ memory: '1g', cpus: 0.001 }), { maxMemoryBytes })),
    );
    expect(tally(memResults)).toEqual({ ok: 4, max_memory_bytes: 2 });
  });

  it('enforces per-principal quotas and create rate independently per owner', async () => {
    const limits = { perPrincipal: { maxSandboxes: 2, createsPerMinute: 3 } };
    const alice = await Promise.all(Array.from({ length: 5 }, () => f.registry.create(sandboxRecord({}, { owner: 'alice' }), limits)));
    expect(tally(alice)).toEqual({ ok: 2, owner_max_sandboxes: 3 });
    const bob = await f.registry.create(sandboxRecord({}, { owner: 'bob' }), limits);
    expect(bob.ok).toBe(true);
    const aliceIds = (await f.registry.list({ page: 1, pageSize: 10, owner: 'alice' })).items.map((r) => r.sandbox_id);
    for (const id of aliceIds) await f.registry.transition(id, 'pending', 'stopped', 'stop');
    const third = await f.registry.create(sandboxRecord({}, { owner: 'alice' }), limits);
    expect(third.ok).toBe(true);
    const fourth = await f.registry.create(sandboxRecord({}, { owner: 'alice' }), limits);
    expect(fourth).toEqual({ ok: false, reason: 'rejected', limit: 'owner_creates_per_minute', current: 3, max: 3 });
    expect(await f.registry.ownerTotals('alice')).toMatchObject({ count: 1 });
  });

  it('lets exactly one of 20 parallel creates of the same id win', async () => {
    const record = sandboxRecord();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => replicas[i % 5]!.create({ ...record })));
    expect(tally(results)).toEqual({ ok: 1, exists: 19 });
    expect(await f.registry.liveTotals()).toMatchObject({ count: 1 });
  });

  it('describes rejections in one clear sentence', () => {
    expect(describeRejection('max_sandboxes', 10, 10)).toBe('capacity reached: 10 of 10 live sandboxes');
    expect(describeRejection('owner_max_millicpus', 3500, 4000)).toBe('quota reached: 3.5 of 4 CPUs for this principal');
  });
});
