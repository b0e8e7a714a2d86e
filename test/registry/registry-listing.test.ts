import { registryFixture, sandboxRecord, type RegistryFixture } from './registry-fixture';

describe('SandboxRegistry listing (real Redis)', () => {
  let f: RegistryFixture;
  const ids: string[] = [];
  beforeAll(async () => {
    f = registryFixture();
    const base = Date.now();
    for (let i = 0; i < 25; i += 1) {
      const record = sandboxRecord(
        {
          image: i % 2 === 0 ? 'python:3.11' : 'busybox:latest',
          cpus: i % 5 === 0 ? 4 : 1,
          metadata: { team: i < 10 ? 'rl' : 'agents', run: `r${i}` },
        },
        { owner: i % 3 === 0 ? 'alice' : 'bob', nowMs: base + i, userId: i % 4 === 0 ? 'u4' : 'u1' },
      );
      ids.push(record.sandbox_id);
      await f.registry.create(record);
    }
    await f.registry.transition(ids[3]!, 'pending', 'running', 'rocklet_ready');
    await f.registry.transition(ids[4]!, 'pending', 'running', 'rocklet_ready');
    await f.registry.transition(ids[24]!, 'pending', 'stopped', 'stop');
  });
  afterAll(async () => {
    await f.cleanup();
  });

  it('pages live sandboxes oldest first with total and has_more', async () => {
    const pages = await Promise.all([1, 2, 3, 4].map((page) => f.registry.list({ page, pageSize: 10 })));
    expect(pages.map((p) => [p.items.length, p.total, p.hasMore])).toEqual([
      [10, 24, true],
      [10, 24, true],
      [4, 24, false],
      [0, 24, false],
    ]);
    expect(pages.flatMap((p) => p.items.map((r) => r.sandbox_id))).toEqual(ids.slice(0, 24));
  });

  it('filters on fields, metadata and owner, combined', async () => {
    const byImage = await f.registry.list({ page: 1, pageSize: 100, filters: { image: 'python:3.11' } });
    expect(byImage.total).toBe(12);
    expect(byImage.items.every((r) => r.image === 'python:3.11')).toBe(true);

    const running = await f.registry.list({ page: 1, pageSize: 100, filters: { state: 'running' } });
    expect(running.items.map((r) => r.sandbox_id)).toEqual([ids[3], ids[4]]);

    const combined = await f.registry.list({
      page: 1,
      pageSize: 100,
      filters: { image: 'python:3.11', cpus: '4.0' },
      metadata: { team: 'rl' },
    });
    expect(combined.items.map((r) => r.sandbox_id)).toEqual([ids[0]]);

    const mine = await f.registry.list({ page: 1, pageSize: 100, owner: 'alice', filters: { user_id: 'u4' } });
    expect(mine.items.map((r) => r.sandbox_id)).toEqual([ids[0], ids[12]]);
  });

  it('pages filtered results and reports zero matches cleanly', async () => {
    const page2 = await f.registry.list({ page: 2, pageSize: 5, metadata: { team: 'agents' } });
    expect(page2.total).toBe(14);
    expect(page2.hasMore).toBe(true);
    expect(page2.items.map((r) => r.sandbox_id)).toEqual(ids.slice(15, 20));
    expect(await f.registry.list({ page: 1, pageSize: 5, metadata: { team: 'nobody' } })).toEqual({
      items: [],
      total: 0,
      hasMore: false,
    });
  });

  it('reads many records in one call, null for unknown ids', async () => {
    const records = await f.registry.getMany([ids[0]!, 'unknown-id', ids[24]!]);
    expect(records.map((r) => r?.state ?? null)).toEqual(['pending', null, 'stopped']);
  });
});
