import { SandboxRecordCache } from '@rock/registry';
import { registryFixture, sandboxRecord, type RegistryFixture } from './registry-fixture';

describe('SandboxRecordCache over a real registry', () => {
  let f: RegistryFixture;
  beforeEach(() => {
    f = registryFixture();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('sees a transition made by another replica as soon as its event arrives', async () => {
    const readReplica = f.replica();
    let hits = 0;
    const cache = new SandboxRecordCache(readReplica, { ttlMs: 60_000, onLookup: (hit) => (hits += hit ? 1 : 0) });
    await cache.start();
    const record = sandboxRecord();
    const seenEvents: string[] = [];
    await readReplica.onEvent((e) => seenEvents.push(e.type));
    await f.registry.create(record);
    const eventDeadline = Date.now() + 5000;
    while (!seenEvents.includes('created') && Date.now() < eventDeadline) await new Promise((r) => setTimeout(r, 5));
    expect((await cache.get(record.sandbox_id))?.state).toBe('pending');
    expect((await cache.get(record.sandbox_id))?.state).toBe('pending');
    expect(hits).toBe(1);

    await f.registry.transition(record.sandbox_id, 'pending', 'running', 'rocklet_ready', { rocklet_url: 'http://10.0.0.2:22555' });
    const deadline = Date.now() + 5000;
    let seen = await cache.get(record.sandbox_id);
    while (seen?.state !== 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      seen = await cache.get(record.sandbox_id);
    }
    expect(seen).toMatchObject({ state: 'running', rocklet_url: 'http://10.0.0.2:22555' });
    cache.close();
  });
});
