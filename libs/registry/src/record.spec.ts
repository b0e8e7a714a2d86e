import { applyServerDefaults, parseOrThrow, SandboxStartRequestSchema, SandboxStatusSchema } from '@rock/contracts';
import type { RegistryEvent, RegistryEventListener } from './events';
import { decodeFlatRecord, decodeRecord, encodeFields, newSandboxRecord, toSandboxStatus, toStartResponse, type SandboxRecord } from './record';
import { SandboxRecordCache } from './record-cache';
import { createRefusalError, describeRejection } from './results';
import { toFailureEnvelope } from '@rock/contracts';

function record(id = 'abc'): SandboxRecord {
  const req = parseOrThrow(SandboxStartRequestSchema, { image: 'busybox', sandbox_id: id, memory: '2g', metadata: { a: 'b' } });
  return newSandboxRecord(applyServerDefaults(req, { autoClearMinutes: 10, startupTimeoutSeconds: 60 }), {
    caller: { user_id: 'u', experiment_id: 'e', namespace: 'n', cluster: 'c' },
    owner: 'alice',
    runtime: 'local',
    rockletToken: 'tok',
    nowMs: Date.UTC(2026, 0, 1),
  });
}

describe('createRefusalError', () => {
  it('maps refusals to typed errors and envelopes with Retry-After', () => {
    const exists = toFailureEnvelope(createRefusalError('abc', { ok: false, reason: 'exists', state: 'running' }), 'start sandbox failed');
    expect(exists).toMatchObject({ httpStatus: 409, body: { error: 'Sandbox abc already exists', result: { code: 4000 } } });
    const capped = createRefusalError('abc', { ok: false, reason: 'rejected', limit: 'max_sandboxes', current: 10, max: 10 });
    expect(toFailureEnvelope(capped, 'm')).toMatchObject({ httpStatus: 429, retryAfterSeconds: 5, body: { error: 'capacity reached: 10 of 10 live sandboxes' } });
    const rate = createRefusalError('abc', { ok: false, reason: 'rejected', limit: 'owner_creates_per_minute', current: 3, max: 3 }, 45_500);
    expect(rate.retryAfterSeconds).toBe(15);
  });
});

describe('record codec', () => {
  it('round-trips every field through the Redis string encoding', () => {
    const r = { ...record(), num_gpus: 2, limit_cpus: 3, port_mapping: { '22555': 40000 } };
    const hash = Object.fromEntries(Object.entries(encodeFields(r)).filter(([, v]) => v !== null)) as Record<string, string>;
    expect(decodeRecord(hash)).toEqual(r);
    expect(decodeFlatRecord(Object.entries(hash).flat())).toEqual(r);
    expect(decodeRecord({})).toBeNull();
  });

  it('derives idle deadline, millicpus and the creating history entry', () => {
    const r = record();
    expect(r.auto_stop_time).toBe('2026-01-01T00:10:00.000+00:00');
    expect(r.millicpus).toBe(2000);
    expect(r.memory_bytes).toBe(2 * 1024 ** 3);
    expect(r.state_history).toEqual([{ from_state: '', to_state: 'pending', event: 'create', timestamp: '2026-01-01T00:00:00.000+00:00' }]);
  });

  it('exposes only wire fields in status and start responses', () => {
    const status = toSandboxStatus(record());
    expect(SandboxStatusSchema.strict().safeParse(status).success).toBe(true);
    expect(Object.keys(status)).not.toContain('rocklet_token');
    expect(toStartResponse(record())).toEqual({ sandbox_id: 'abc', host_name: '', host_ip: '', cpus: 2, memory: '2g', disk: '50G' });
  });

  it('words rejections for each limit', () => {
    expect(describeRejection('max_memory_bytes', 8 * 1024 ** 3, 16 * 1024 ** 3)).toBe('capacity reached: 8.00 GiB of 16.00 GiB memory already requested');
    expect(describeRejection('owner_creates_per_minute', 5, 5)).toBe('rate limit: 5 of 5 creates this minute for this principal');
  });
});

/** An in-memory registry double: records by id, events pushed by the test. */
class FakeRegistry {
  readonly records = new Map<string, SandboxRecord>();
  reads = 0;
  private listener: RegistryEventListener | null = null;
  gate: Promise<void> = Promise.resolve();
  async get(id: string): Promise<SandboxRecord | null> {
    this.reads += 1;
    const value = this.records.get(id) ?? null;
    await this.gate;
    return value;
  }
  onEvent(listener: RegistryEventListener) {
    this.listener = listener;
    return Promise.resolve({ unsubscribe: () => (this.listener = null) });
  }
  emit(id: string): void {
    const event: RegistryEvent = { type: 'transition', sandbox_id: id, from_state: 'pending', state: 'running', event: 'x', timestamp: '', owner: '' };
    this.listener?.(event);
  }
}

describe('SandboxRecordCache', () => {
  it('serves fresh hits from memory, expires after the TTL, and counts lookups', async () => {
    let now = 1000;
    const fake = new FakeRegistry();
    fake.records.set('abc', record());
    const lookups: boolean[] = [];
    const cache = new SandboxRecordCache(fake, { ttlMs: 500, now: () => now, onLookup: (hit) => lookups.push(hit) });
    await cache.start();
    await cache.get('abc');
    await cache.get('abc');
    now += 501;
    await cache.get('abc');
    expect(fake.reads).toBe(2);
    expect(lookups).toEqual([false, true, false]);
  });

  it('drops an entry on an event for its sandbox and never caches misses', async () => {
    const fake = new FakeRegistry();
    const cache = new SandboxRecordCache(fake, { ttlMs: 60_000 });
    await cache.start();
    expect(await cache.get('abc')).toBeNull();
    fake.records.set('abc', record());
    expect(await cache.get('abc')).not.toBeNull();
    fake.records.set('abc', { ...record(), state: 'running' });
    fake.emit('abc');
    expect((await cache.get('abc'))?.state).toBe('running');
    cache.close();
  });

  it('does not store a read that raced an invalidation', async () => {
    const fake = new FakeRegistry();
    fake.records.set('abc', record());
    const cache = new SandboxRecordCache(fake, { ttlMs: 60_000 });
    await cache.start();
    let release: () => void = () => undefined;
    fake.gate = new Promise((r) => (release = r));
    const slow = cache.get('abc');
    fake.emit('abc');
    release();
    await slow;
    expect(cache.size).toBe(0);
  });

  it('evicts the oldest entries beyond maxEntries', async () => {
    const fake = new FakeRegistry();
    for (const id of ['a', 'b', 'c']) fake.records.set(id, record(id));
    const cache = new SandboxRecordCache(fake, { ttlMs: 60_000, maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) await cache.get(id);
    expect(cache.size).toBe(2);
    fake.reads = 0;
    await cache.get('a');
    expect(fake.reads).toBe(1);
  });
});
