import { registryFixture, sandboxRecord, type RegistryFixture } from './registry-fixture';

/** The registry calls the create path uses to stay cheap: record-less patches and state-only waits. */
describe('registry write path', () => {
  let f: RegistryFixture;
  beforeEach(() => {
    f = registryFixture();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('patchFields writes and announces the change like patch, answering only whether it applied', async () => {
    const record = sandboxRecord();
    await f.registry.create(record);
    const events: string[] = [];
    const subscription = await f.registry.onEvent((e) => events.push(`${e.type}:${e.sandbox_id}`));
    try {
      expect(await f.registry.patchFields(record.sandbox_id, { host_name: 'node-a' }, ['pending'])).toBe(true);
      expect(await f.registry.patchFields(record.sandbox_id, { host_name: 'node-b' }, ['running'])).toBe(false);
      expect(await f.registry.patchFields('missing-id', { host_name: 'x' })).toBe(false);
      expect((await f.registry.get(record.sandbox_id))?.host_name).toBe('node-a');
      const deadline = Date.now() + 5000;
      while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(events).toEqual([`updated:${record.sandbox_id}`]);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('waitForState re-reads on state changes, not on field updates', async () => {
    const record = sandboxRecord();
    await f.registry.create(record);
    // The events connection is up before the wait starts (as in a service that already waited once).
    const warm = await f.registry.onEvent(() => undefined);
    let reads = 0;
    const counting = Object.create(f.registry) as typeof f.registry;
    counting.get = async (id: string) => {
      reads += 1;
      return f.registry.get(id);
    };
    const waiting = counting.waitForState(record.sandbox_id, ['running'], { timeoutMs: 10_000, pollIntervalMs: 60_000, known: record });
    // Another replica makes the changes: they reach this process only as events.
    const other = f.replica();
    for (let i = 0; i < 5; i += 1) await other.patchFields(record.sandbox_id, { host_name: `n${i}` }, ['pending']);
    await other.transition(record.sandbox_id, 'pending', 'running', 'started');
    const waited = await waiting;
    expect(waited).toMatchObject({ ok: true, record: { state: 'running', host_name: 'n4' } });
    expect(reads).toBe(1);
    warm.unsubscribe();
  });

  it('waitForState takes a transition made by the same registry straight from its reply, with no read', async () => {
    const record = sandboxRecord();
    await f.registry.create(record);
    let reads = 0;
    const counting = Object.create(f.registry) as typeof f.registry;
    counting.get = async (id: string) => {
      reads += 1;
      return f.registry.get(id);
    };
    // No events and a long poll: only the in-process hand-over can answer within the test.
    counting.onEvent = () => Promise.resolve({ unsubscribe: () => undefined });
    const waiting = counting.waitForState(record.sandbox_id, ['running', 'stopped'], { timeoutMs: 10_000, pollIntervalMs: 60_000, known: record });
    const moved = await f.registry.transition(record.sandbox_id, 'pending', 'running', 'started', { host_name: 'here' });
    const waited = await waiting;
    expect(waited).toEqual({ ok: true, record: moved.ok ? moved.record : null });
    expect(waited).toMatchObject({ ok: true, record: { state: 'running', host_name: 'here' } });
    expect(reads).toBe(0);
  });

  it('waitForState with a known record still answers from a later read when the event came first', async () => {
    const record = sandboxRecord();
    await f.registry.create(record);
    await f.registry.transition(record.sandbox_id, 'pending', 'stopped', 'start_failed');
    // The caller's record says pending; the periodic re-read finds the stop it could not have heard.
    const started = Date.now();
    const waited = await f.registry.waitForState(record.sandbox_id, ['stopped'], { timeoutMs: 10_000, pollIntervalMs: 200, known: record });
    expect(waited).toMatchObject({ ok: true, record: { state: 'stopped' } });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
