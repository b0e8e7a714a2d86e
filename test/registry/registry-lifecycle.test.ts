import { SandboxStatusSchema, type SandboxState } from '@rock/contracts';
import { SandboxRegistry, toSandboxStatus, type RegistryEvent } from '@rock/registry';
import { registryFixture, sandboxRecord, type RegistryFixture } from './registry-fixture';

describe('SandboxRegistry lifecycle (real Redis)', () => {
  let f: RegistryFixture;
  beforeEach(() => {
    f = registryFixture({ stoppedRetentionSeconds: 120 });
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('creates a pending record with alive, expiry, owner and totals entries', async () => {
    const record = sandboxRecord({ cpus: 1.5, memory: '512m' }, { owner: 'bob' });
    expect(await f.registry.create(record)).toEqual({ ok: true, record });
    const stored = await f.registry.get(record.sandbox_id);
    expect(stored).toEqual(record);
    expect(await f.registry.aliveIds()).toEqual([record.sandbox_id]);
    expect(await f.redis.zscore(`${f.prefix}expiry`, record.sandbox_id)).toBe(String(Date.parse(record.auto_stop_time ?? '')));
    expect(await f.redis.smembers(`${f.prefix}owner:bob`)).toEqual([record.sandbox_id]);
    expect(await f.registry.liveTotals()).toEqual({ count: 1, cpus: 1.5, memoryBytes: 512 * 1024 ** 2 });
    expect(await f.registry.ownerTotals('bob')).toEqual({ count: 1, cpus: 1.5, memoryBytes: 512 * 1024 ** 2 });
  });

  it('refuses a live duplicate id but lets a stopped id be reused', async () => {
    const record = sandboxRecord();
    await f.registry.create(record);
    expect(await f.registry.create({ ...record, image: 'other' })).toEqual({ ok: false, reason: 'exists', state: 'pending' });
    expect((await f.registry.get(record.sandbox_id))?.image).toBe('busybox:latest');
    await f.registry.transition(record.sandbox_id, ['pending', 'running'], 'stopped', 'stop');
    const again = sandboxRecord({ sandbox_id: record.sandbox_id, image: 'alpine' });
    expect((await f.registry.create(again)).ok).toBe(true);
    const stored = await f.registry.get(record.sandbox_id);
    expect(stored?.image).toBe('alpine');
    expect(stored?.state_history.map((h) => h.to_state)).toEqual(['pending']);
    expect(await f.redis.ttl(`${f.prefix}sbx:${record.sandbox_id}`)).toBe(-1);
    expect((await f.registry.liveTotals()).count).toBe(1);
  });

  it('transitions append history, patch fields, and release capacity on stop', async () => {
    const record = sandboxRecord({ cpus: 2 });
    await f.registry.create(record);
    const running = await f.registry.transition(record.sandbox_id, 'pending', 'running', 'rocklet_ready', {
      host_ip: '172.17.0.9',
      port_mapping: { '22555': 22555 },
      rocklet_url: 'http://172.17.0.9:22555',
    });
    expect(running).toMatchObject({ ok: true, from: 'pending', record: { state: 'running', host_ip: '172.17.0.9' } });
    const stopped = await f.registry.transition(record.sandbox_id, ['pending', 'running'], 'stopped', 'stop', {
      failure_reason: '',
      rocklet_url: null,
    });
    if (!stopped.ok) throw new Error('expected the stop to succeed');
    const r = stopped.record;
    expect(r.state_history.map((h) => [h.from_state, h.to_state, h.event])).toEqual([
      ['', 'pending', 'create'],
      ['pending', 'running', 'rocklet_ready'],
      ['running', 'stopped', 'stop'],
    ]);
    for (const item of r.state_history) expect(Object.values(item).every((v) => typeof v === 'string')).toBe(true);
    expect(r.start_time).toMatch(/\+00:00$/);
    expect(r.stop_time).toMatch(/\+00:00$/);
    expect(r.rocklet_url).toBeNull();
    expect(r.port_mapping).toEqual({ '22555': 22555 });
    expect(await f.registry.aliveIds()).toEqual([]);
    expect(await f.registry.dueForExpiry(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
    expect(await f.redis.smembers(`${f.prefix}owner:alice`)).toEqual([]);
    expect(await f.registry.liveTotals()).toEqual({ count: 0, cpus: 0, memoryBytes: 0 });
    const ttl = await f.redis.ttl(`${f.prefix}sbx:${record.sandbox_id}`);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  it('returns illegal and not_found transitions as values and changes nothing', async () => {
    const record = sandboxRecord();
    await f.registry.create(record);
    await f.registry.transition(record.sandbox_id, 'pending', 'stopped', 'start_failed', { failure_reason: 'image not found' });
    const before = await f.registry.get(record.sandbox_id);
    expect(await f.registry.transition(record.sandbox_id, 'pending', 'running', 'rocklet_ready')).toEqual({
      ok: false,
      reason: 'illegal',
      current: 'stopped',
    });
    expect(await f.registry.get(record.sandbox_id)).toEqual(before);
    expect(await f.registry.transition('no-such-sandbox', 'pending', 'running', 'x')).toEqual({ ok: false, reason: 'not_found' });
    expect(await f.registry.get('no-such-sandbox')).toBeNull();
  });

  it('patches fields only in the allowed states', async () => {
    const record = sandboxRecord();
    await f.registry.create(record);
    const phases = { ...record.status, queued: { status: 'success' as const, message: '', started_at: record.create_time, completed_at: record.create_time } };
    const patched = await f.registry.patch(record.sandbox_id, { status: phases }, ['pending']);
    expect(patched).toMatchObject({ ok: true, record: { status: { queued: { status: 'success' } } } });
    expect(await f.registry.patch(record.sandbox_id, { host_ip: 'x' }, ['running'])).toEqual({
      ok: false,
      reason: 'illegal',
      current: 'pending',
    });
    expect(await f.registry.patch('missing-id', { host_ip: 'x' })).toEqual({ ok: false, reason: 'not_found' });
  });

  it('slides the idle deadline forward only, and only for live sandboxes', async () => {
    const record = sandboxRecord();
    await f.registry.create(record);
    const id = record.sandbox_id;
    const later = Date.now() + 3_600_000;
    expect(await f.registry.touch(id, later)).toBe(true);
    expect(Number(await f.redis.zscore(`${f.prefix}expiry`, id))).toBe(later);
    expect(await f.registry.touch(id, later - 1000)).toBe(true);
    expect(Number(await f.redis.zscore(`${f.prefix}expiry`, id))).toBe(later);
    expect((await f.registry.get(id))?.auto_stop_time).toBe(new Date(later).toISOString().replace('Z', '+00:00'));
    await f.registry.transition(id, 'pending', 'stopped', 'stop');
    expect(await f.registry.touch(id, later + 1000)).toBe(false);
    expect(await f.redis.zscore(`${f.prefix}expiry`, id)).toBeNull();
    expect(await f.registry.touch('missing-id', later)).toBe(false);
  });

  it('touchIdle moves the deadline to now + the record\'s auto_clear_minutes (injected clock)', async () => {
    let now = Date.now() + 10 * 60_000;
    const clocked = registryFixture({ now: () => now });
    try {
      const record = sandboxRecord({ auto_clear_time_minutes: 7 });
      await clocked.registry.create(record);
      expect(await clocked.registry.touchIdle(record)).toBe(true);
      expect(Number(await clocked.redis.zscore(`${clocked.prefix}expiry`, record.sandbox_id))).toBe(now + 7 * 60_000);
      now += 60_000;
      await clocked.registry.touchIdle(record);
      expect(await clocked.registry.dueForExpiry(now + 7 * 60_000 - 1, 10)).toEqual([]);
      expect(await clocked.registry.dueForExpiry(now + 7 * 60_000, 10)).toEqual([record.sandbox_id]);
    } finally {
      await clocked.cleanup();
    }
  });

  it('lists ids due for expiry, most overdue first, up to a limit', async () => {
    const now = Date.now();
    const records = [0, 1, 2, 3].map(() => sandboxRecord());
    for (const r of records) await f.registry.create(r);
    const deadlines = [now - 3000, now + 60_000, now - 1000, now - 2000];
    await Promise.all(records.map((r, i) => f.redis.zadd(`${f.prefix}expiry`, String(deadlines[i]), r.sandbox_id)));
    const ids = records.map((r) => r.sandbox_id);
    expect(await f.registry.dueForExpiry(now, 10)).toEqual([ids[0], ids[3], ids[2]]);
    expect(await f.registry.dueForExpiry(now, 2)).toEqual([ids[0], ids[3]]);
  });

  it('publishes created, updated, transition and purged events in order', async () => {
    const received: RegistryEvent[] = [];
    const listener = f.replica();
    const subscription = await listener.onEvent((e) => received.push(e));
    const record = sandboxRecord({}, { owner: 'carol' });
    await f.registry.create(record);
    await f.registry.patch(record.sandbox_id, { host_name: 'h' });
    await f.registry.transition(record.sandbox_id, 'pending', 'running', 'rocklet_ready');
    await f.registry.purge(record.sandbox_id);
    const deadline = Date.now() + 5000;
    while (received.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    subscription.unsubscribe();
    expect(received.map((e) => [e.type, e.from_state, e.state, e.event, e.owner])).toEqual([
      ['created', '', 'pending', 'create', 'carol'],
      ['updated', 'pending', 'pending', 'update', 'carol'],
      ['transition', 'pending', 'running', 'rocklet_ready', 'carol'],
      ['purged', 'running', 'running', 'purge', 'carol'],
    ]);
    expect(received.every((e) => e.sandbox_id === record.sandbox_id)).toBe(true);
  });

  it('waits for a state set by another replica, and times out with the last record', async () => {
    const record = sandboxRecord();
    await f.registry.create(record);
    const other = f.replica();
    const started = Date.now();
    const waiting = f.registry.waitForState(record.sandbox_id, ['running', 'stopped'], { timeoutMs: 8000, pollIntervalMs: 6000 });
    setTimeout(() => void other.transition(record.sandbox_id, 'pending', 'running', 'rocklet_ready'), 50);
    const result = await waiting;
    expect(result).toMatchObject({ ok: true, record: { state: 'running' } });
    expect(Date.now() - started).toBeLessThan(3000); // woken by the event, not the 6 s re-read
    const timedOut = await f.registry.waitForState(record.sandbox_id, ['stopped'], { timeoutMs: 150, pollIntervalMs: 50 });
    expect(timedOut).toMatchObject({ ok: false, reason: 'timeout', record: { state: 'running' } });
    expect(await f.registry.waitForState('missing-id', ['running'], { timeoutMs: 100 })).toEqual({ ok: false, reason: 'not_found' });
  });

  it('maps a record to the strict wire status without internal fields', async () => {
    const record = sandboxRecord({ metadata: { team: 'rl' }, memory: '1g' });
    await f.registry.create(record);
    const stored = await f.registry.get(record.sandbox_id);
    if (!stored) throw new Error('record missing');
    const status = toSandboxStatus(stored);
    expect(SandboxStatusSchema.strict().parse(status)).toEqual(status);
    expect(JSON.stringify(status)).not.toContain('token-secret');
    expect(status).toMatchObject({ memory: '1g', cpus: 2, metadata: { team: 'rl' }, is_alive: false, failure_reason: '' });
    const states: SandboxState[] = status.state_history.map((h) => h.to_state as SandboxState);
    expect(states).toEqual(['pending']);
  });

  it('purges records and repairs drifted totals', async () => {
    const a = sandboxRecord({ cpus: 1 });
    const b = sandboxRecord({ cpus: 3 });
    await f.registry.create(a);
    await f.registry.create(b);
    expect(await f.registry.purge(a.sandbox_id)).toBe(true);
    expect(await f.registry.purge(a.sandbox_id)).toBe(false);
    expect(await f.registry.liveTotals()).toMatchObject({ count: 1, cpus: 3 });
    await f.redis.hset(`${f.prefix}totals`, 'count', '7', 'millicpus', '99');
    await f.redis.hset(`${f.prefix}owner-totals:alice`, 'count', '5');
    await f.redis.sadd(`${f.prefix}owner:alice`, 'ghost');
    await f.redis.zadd(`${f.prefix}alive`, '1', 'ghost');
    expect(await f.registry.recomputeTotals()).toEqual({ count: 1, cpus: 3, memoryBytes: b.memory_bytes, dropped: 1 });
    expect(await f.registry.liveTotals()).toEqual({ count: 1, cpus: 3, memoryBytes: b.memory_bytes });
    expect(await f.registry.ownerTotals('alice')).toEqual({ count: 1, cpus: 3, memoryBytes: b.memory_bytes });
    expect(await f.redis.smembers(`${f.prefix}owner:alice`)).toEqual([b.sandbox_id]);
    expect(await f.registry.countLive()).toEqual([{ state: 'pending', runtime: 'docker', count: 1 }]);
  });

  it('finds pending sandboxes past their own startup timeout', async () => {
    expect(await f.registry.pendingPastStartupTimeout(Date.now())).toEqual([]);
    const now = Date.now();
    const stale = sandboxRecord({ startup_timeout: 60 }, { nowMs: now - 61_000 });
    const fresh = sandboxRecord({ startup_timeout: 60 }, { nowMs: now - 10_000 });
    const staleButRunning = sandboxRecord({ startup_timeout: 5 }, { nowMs: now - 61_000 });
    for (const r of [stale, fresh, staleButRunning]) await f.registry.create(r);
    await f.registry.transition(staleButRunning.sandbox_id, 'pending', 'running', 'rocklet_ready');
    expect(await f.registry.pendingPastStartupTimeout(now)).toEqual([stale.sandbox_id]);
    expect(await f.registry.pendingPastStartupTimeout(now, 5_000)).toEqual([]);
  });

  it('keeps delivering events after its subscriber connection is killed (auto-resubscribe)', async () => {
    const name = `rock-events-${f.prefix.replace(/[^a-z0-9]/g, '')}`;
    const listener = new SandboxRegistry(f.redis, { prefix: f.prefix, eventsConnectionName: name });
    const received: string[] = [];
    const subscription = await listener.onEvent((e) => received.push(`${e.type}:${e.sandbox_id}`));
    const clients = (await f.redis.client('LIST')) as string;
    const ids = clients.split('\n').filter((l) => l.includes(`name=${name} `)).map((l) => /id=(\d+)/.exec(l)?.[1]);
    expect(ids).toHaveLength(1);
    await f.redis.client('KILL', 'ID', ids[0]!);
    const record = sandboxRecord();
    await f.registry.create(record);
    // Events published while the subscriber reconnects are lost by design (the read cache's TTL
    // bounds that); keep producing until one arrives over the resubscribed connection.
    const deadline = Date.now() + 10_000;
    while (!received.some((r) => r.endsWith(record.sandbox_id)) && Date.now() < deadline) {
      await f.registry.patch(record.sandbox_id, { host_name: String(Date.now()) });
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(received.some((r) => r.endsWith(record.sandbox_id))).toBe(true);
    subscription.unsubscribe();
    await listener.close();
  });
});
