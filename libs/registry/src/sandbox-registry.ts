import { isoTimestamp, type SandboxState } from '@rock/contracts';
import type { Redis } from 'ioredis';
import { createRedisConnection } from './connection';
import { RegistryEventHub, type EventSubscription, type RegistryEventListener } from './events';
import { RegistryKeys } from './keys';
import { pageLiveIds, type RegistryListQuery } from './listing';
import { decodeFlatRecord, decodeRecord, encodeFields, type RecordPatch, type SandboxRecord } from './record';
import { RecentCreates } from './recent-creates';
import { capsJson } from './admission-caps';
import type { AdmissionLimitName, AdmissionLimits, CreateResult, LiveTotals, TransitionResult, WaitResult } from './results';
import { createScript } from './scripts/create.lua';
import { patchScript, purgeScript, recomputeTotalsScript, touchScript } from './scripts/maintenance.lua';
import { isNoScript } from './scripts/lua-script';
import { transitionScript } from './scripts/transition.lua';
import { waitForState, type WaitOptions } from './wait-for-state';

/** Options of a {@link SandboxRegistry}. */
export interface SandboxRegistryOptions {
  /** Key prefix (default `rock:`); tests use a unique one each. */
  prefix?: string;
  /** Seconds a record that left the live states stays readable (default 86400). */
  stoppedRetentionSeconds?: number;
  /** Clock in epoch ms (injectable for tests). */
  now?: () => number;
  /** Receives malformed event messages and listener failures (default: ignored). */
  onError?: (error: unknown) => void;
  /** `CLIENT SETNAME` of the events subscriber connection (default `rock-registry-events`). */
  eventsConnectionName?: string;
}

/**
 * The sliding idle deadline after a call that names the sandbox (API.md §3): the call's time + the
 * record's `auto_clear_minutes`.
 */
export function idleDeadlineMs(record: Pick<SandboxRecord, 'auto_clear_minutes'>, nowMs: number): number {
  return nowMs + record.auto_clear_minutes * 60_000;
}

/** One sandbox's new idle deadline, for {@link SandboxRegistry.touchMany}. */
export interface IdleTouch {
  id: string;
  /** Epoch ms. */
  deadlineMs: number;
}

/** Page of live records. */
export interface RecordPage {
  items: SandboxRecord[];
  total: number;
  hasMore: boolean;
}

function toNumber(value: unknown): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** Encoded fields without the `null` ones (absent in the hash means null). */
function presentFields(record: SandboxRecord): Record<string, string> {
  return Object.fromEntries(
    Object.entries(encodeFields(record)).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}


/**
 * The Redis model of sandboxes (ARCHITECTURE §3). Every multi-key change is one Lua script, so
 * concurrent writers (write replicas, workers, reaper, reconciler) never see or leave a torn state.
 * Expected outcomes (duplicate id, illegal transition, rejected admission) are returned as values.
 */
export class SandboxRegistry {
  readonly keys: RegistryKeys;
  private readonly retentionSeconds: number;
  private readonly now: () => number;
  private readonly onError: (error: unknown) => void;
  private readonly events: RegistryEventHub;
  /** In-process waiters by sandbox id, handed the records this instance's transitions return. */
  private readonly localWatchers = new Map<string, Set<(record: SandboxRecord) => void>>();
  private readonly recentCreates: RecentCreates;

  constructor(
    private readonly redis: Redis,
    options: SandboxRegistryOptions = {},
    private readonly ownsConnection = false,
  ) {
    this.keys = new RegistryKeys(options.prefix ?? 'rock:');
    this.retentionSeconds = options.stoppedRetentionSeconds ?? 86_400;
    this.now = options.now ?? Date.now;
    this.onError = options.onError ?? (() => undefined);
    this.recentCreates = new RecentCreates(this.now);
    const eventsName = options.eventsConnectionName ?? 'rock-registry-events';
    this.events = new RegistryEventHub(
      () => redis.duplicate({ connectionName: eventsName }),
      this.keys.events,
      this.onError,
    );
  }

  /** A registry on its own connection to `url`, closed by {@link close}. */
  static connect(url: string, options: SandboxRegistryOptions = {}): SandboxRegistry {
    return new SandboxRegistry(createRedisConnection(url, { name: 'rock-registry' }), options, true);
  }

  /**
   * Admits and inserts a `pending` record (from `newSandboxRecord`) in one script: refuses a live
   * duplicate id, checks every cap in `limits` against the running totals, then writes the record,
   * the alive/expiry/owner entries and the totals, and publishes `created`.
   */
  async create(record: SandboxRecord, limits: AdmissionLimits = {}): Promise<CreateResult> {
    const k = this.keys;
    const id = record.sandbox_id;
    const deadline = record.auto_stop_time ? Date.parse(record.auto_stop_time) : record.create_ms;
    const event = { type: 'created', sandbox_id: id, from_state: '', state: record.state, event: 'create',
      timestamp: record.create_time, owner: record.owner };
    const reply = (await createScript.run(
      this.redis,
      [k.record(id), k.alive, k.expiry, k.totals, k.owner(record.owner), k.ownerTotals(record.owner),
        k.createRate(record.owner, Math.floor(this.now() / 60_000))],
      [k.prefix, id, JSON.stringify(presentFields(record)), record.create_ms, deadline, capsJson(limits), k.events,
        JSON.stringify(event)],
    )) as string[];
    if (reply[0] === 'exists') return { ok: false, reason: 'exists', state: reply[1] as SandboxState };
    if (reply[0] === 'rejected') {
      return { ok: false, reason: 'rejected', limit: reply[1] as AdmissionLimitName,
        current: toNumber(reply[2]), max: toNumber(reply[3]) };
    }
    this.recentCreates.remember(record);
    return { ok: true, record };
  }

  /**
   * The record this process inserted as `(id, incarnation)` with {@link create}, handed out once
   * (the create job's first attempt starts from it instead of reading it back), else a fresh
   * {@link get}. The copy is as written; anything that changed it since (a stop) makes the job's
   * conditional `pending → running` transition fail, as a stale read would.
   */
  async getCreated(id: string, incarnation: number): Promise<SandboxRecord | null> {
    return this.recentCreates.take(id, incarnation) ?? this.get(id);
  }

  /** The record, or `null` if unknown or past retention. */
  async get(id: string): Promise<SandboxRecord | null> {
    return decodeRecord(await this.redis.hgetall(this.keys.record(id)));
  }

  /** Records aligned with `ids` (`null` where unknown), in one pipeline. */
  async getMany(ids: readonly string[]): Promise<(SandboxRecord | null)[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.record(id));
    const replies = (await pipeline.exec()) ?? [];
    return ids.map((_, i) => {
      const [error, hash] = replies[i] ?? [null, {}];
      if (error) throw error;
      return decodeRecord((hash ?? {}) as Record<string, string>);
    });
  }

  /**
   * Moves `id` from one of `from` to `to` with `event` in `state_history`, applying `patch`
   * (`null` values delete fields), all in one script. Sets `start_time` on entering `running` and
   * `stop_time` on entering `stopped` unless the patch gives them. Leaving the live states removes
   * the id from alive/expiry/owner, releases its capacity and starts the retention clock.
   */
  async transition(
    id: string,
    from: SandboxState | readonly SandboxState[],
    to: SandboxState,
    event: string,
    patch: RecordPatch = {},
  ): Promise<TransitionResult> {
    const k = this.keys;
    const nowMs = this.now();
    const timestamp = isoTimestamp(nowMs);
    const fields: RecordPatch = { ...patch };
    if (to === 'running') fields.start_time ??= timestamp;
    if (to === 'stopped') fields.stop_time ??= timestamp;
    const reply = (await transitionScript.run(
      this.redis,
      [k.record(id), k.alive, k.expiry],
      [k.prefix, id, (Array.isArray(from) ? from : [from]).join(','), to, event, timestamp,
        JSON.stringify(encodeFields(fields)), k.events, this.retentionSeconds, nowMs],
    )) as string[];
    const result = this.toTransitionResult(reply);
    if (result.ok) {
      this.recentCreates.forget(id);
      this.announce(result.record);
    }
    return result;
  }

  /**
   * Delivers the records this instance's transitions return to in-process listeners of `id`
   * (`waitForState` uses it: a sync create answered by the same replica skips the pub/sub hop
   * and the re-read). Returns the unsubscribe function.
   */
  onLocalRecord(id: string, listener: (record: SandboxRecord) => void): () => void {
    let listeners = this.localWatchers.get(id);
    if (!listeners) this.localWatchers.set(id, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.localWatchers.get(id) === listeners) this.localWatchers.delete(id);
    };
  }

  private announce(record: SandboxRecord): void {
    const listeners = this.localWatchers.get(record.sandbox_id);
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        listener(record);
      } catch (error) {
        this.onError(error); // the transition itself is done; a listener's failure is not its failure
      }
    }
  }

  /**
   * Updates fields without a state change (phase progress, address, token), only while the
   * record's state is one of `onlyIn` (any state when omitted); publishes `updated`.
   */
  async patch(id: string, patch: RecordPatch, onlyIn: readonly SandboxState[] = []): Promise<TransitionResult> {
    const reply = await this.runPatch(id, patch, onlyIn, true);
    if (reply[0] !== 'ok') return this.toTransitionResult(reply);
    const record = decodeFlatRecord(reply.slice(1));
    return record ? { ok: true, from: record.state, record } : { ok: false, reason: 'not_found' };
  }

  /**
   * {@link patch} for writers that do not need the record back (phase progress during a create):
   * same checks, write and `updated` event, but the reply is just whether it applied, so no
   * HGETALL travels back and is decoded. `false` when the record is missing or in another state.
   */
  async patchFields(id: string, patch: RecordPatch, onlyIn: readonly SandboxState[] = []): Promise<boolean> {
    return (await this.runPatch(id, patch, onlyIn, false))[0] === 'ok';
  }

  private async runPatch(id: string, patch: RecordPatch, onlyIn: readonly SandboxState[], withRecord: boolean): Promise<string[]> {
    return (await patchScript.run(
      this.redis,
      [this.keys.record(id)],
      [id, onlyIn.join(','), JSON.stringify(encodeFields(patch)), this.keys.events, isoTimestamp(this.now()), withRecord ? '1' : '0'],
    )) as string[];
  }

  private toTransitionResult(reply: string[]): TransitionResult {
    if (reply[0] === 'missing') return { ok: false, reason: 'not_found' };
    if (reply[0] === 'illegal') return { ok: false, reason: 'illegal', current: reply[1] as SandboxState };
    const record = decodeFlatRecord(reply.slice(2));
    return record ? { ok: true, from: reply[1] as SandboxState, record } : { ok: false, reason: 'not_found' };
  }

  /**
   * Slides a live sandbox's idle deadline to `idleDeadlineMs` (never earlier than it is).
   * Returns `false` when the sandbox is unknown or not live.
   */
  async touch(id: string, idleDeadlineMs: number): Promise<boolean> {
    const reply = await touchScript.run(
      this.redis,
      [this.keys.record(id), this.keys.expiry],
      [id, idleDeadlineMs, isoTimestamp(idleDeadlineMs)],
    );
    return toNumber(reply) >= 0;
  }

  /**
   * The sliding idle TTL after a call that names the sandbox (API.md §3): deadline = now + the
   * record's `auto_clear_minutes`. Takes the (possibly cached) record so no extra read is needed.
   */
  async touchIdle(record: Pick<SandboxRecord, 'sandbox_id' | 'auto_clear_minutes'>): Promise<boolean> {
    return this.touch(record.sandbox_id, idleDeadlineMs(record, this.now()));
  }

  /**
   * Slides many idle deadlines in one pipeline (the read service coalesces its per-call touches
   * and flushes them together). Same rule as {@link touch}: never earlier, only live sandboxes.
   * Resolves with how many of them are live.
   */
  async touchMany(touches: readonly IdleTouch[]): Promise<number> {
    if (touches.length === 0) return 0;
    const argsOf = (t: IdleTouch): [string[], (string | number)[]] => [
      [this.keys.record(t.id), this.keys.expiry],
      [t.id, t.deadlineMs, isoTimestamp(t.deadlineMs)],
    ];
    const pipeline = this.redis.pipeline();
    for (const touch of touches) touchScript.queue(pipeline, ...argsOf(touch));
    const replies = (await pipeline.exec()) ?? [];
    let live = 0;
    for (const [i, touch] of touches.entries()) {
      let [error, reply] = replies[i] ?? [null, -1];
      if (isNoScript(error)) [error, reply] = [null, await touchScript.run(this.redis, ...argsOf(touch))];
      if (error) throw error;
      if (toNumber(reply) >= 0) live += 1;
    }
    return live;
  }

  /** Up to `limit` live ids whose idle deadline is at or before `nowMs`, most overdue first. */
  async dueForExpiry(nowMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.expiry, '-inf', nowMs, 'LIMIT', 0, limit);
  }

  /** Every live id, oldest first. */
  async aliveIds(): Promise<string[]> {
    return this.redis.zrange(this.keys.alive, '0', '-1');
  }

  /** A page of live records matching `query`, oldest first. */
  async list(query: RegistryListQuery): Promise<RecordPage> {
    const page = await pageLiveIds(this.redis, this.keys, query);
    const items = (await this.getMany(page.ids)).filter((r): r is SandboxRecord => r !== null);
    return { items, total: page.total, hasMore: (query.page - 1) * query.pageSize + page.ids.length < page.total };
  }

  /** Running totals of all live sandboxes (O(1): maintained by the scripts). */
  async liveTotals(): Promise<LiveTotals> {
    return this.readTotals(this.keys.totals);
  }

  /** Running totals of one principal's live sandboxes. */
  async ownerTotals(owner: string): Promise<LiveTotals> {
    return this.readTotals(this.keys.ownerTotals(owner));
  }

  private async readTotals(key: string): Promise<LiveTotals> {
    const [count, millicpus, memory] = await this.redis.hmget(key, 'count', 'millicpus', 'memory_bytes');
    return { count: toNumber(count), cpus: toNumber(millicpus) / 1000, memoryBytes: toNumber(memory) };
  }

  /** Live sandboxes counted by state and runtime (for the `rock_sandboxes` gauge). */
  async countLive(): Promise<{ state: SandboxState; runtime: string; count: number }[]> {
    const ids = await this.aliveIds();
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.keys.record(id), 'state', 'runtime');
    const counts = new Map<string, number>();
    for (const [, values] of (await pipeline.exec()) ?? []) {
      const [state, runtime] = (values ?? []) as (string | null)[];
      if (state) counts.set(`${state}\n${runtime ?? ''}`, (counts.get(`${state}\n${runtime ?? ''}`) ?? 0) + 1);
    }
    return [...counts].map(([key, count]) => {
      const [state, runtime] = key.split('\n') as [SandboxState, string];
      return { state, runtime, count };
    });
  }

  /**
   * Pending sandboxes older than their own `startup_timeout` plus `graceMs` (the reconciler fails
   * and cleans them, ARCHITECTURE §2). O(live), pipelined.
   */
  async pendingPastStartupTimeout(nowMs: number, graceMs = 0): Promise<string[]> {
    const ids = await this.aliveIds();
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.keys.record(id), 'state', 'create_ms', 'startup_timeout');
    const replies = (await pipeline.exec()) ?? [];
    return ids.filter((_, i) => {
      const [state, createMs, timeout] = (replies[i]?.[1] ?? []) as (string | null)[];
      return state === 'pending' && toNumber(createMs) + toNumber(timeout) * 1000 + graceMs < nowMs;
    });
  }

  /**
   * Rebuilds global and per-owner totals and owner sets from the alive set, dropping dangling
   * alive/expiry entries. For the reconciler; O(live).
   */
  async recomputeTotals(): Promise<LiveTotals & { dropped: number }> {
    const k = this.keys;
    const reply = (await recomputeTotalsScript.run(this.redis, [k.alive, k.expiry, k.totals, k.owners], [k.prefix])) as number[];
    return { count: toNumber(reply[0]), cpus: toNumber(reply[1]) / 1000, memoryBytes: toNumber(reply[2]),
      dropped: toNumber(reply[3]) };
  }

  /** Removes a record outright (any state), releasing its capacity if live. `false` if unknown. */
  async purge(id: string): Promise<boolean> {
    this.recentCreates.forget(id);
    const k = this.keys;
    const reply = await purgeScript.run(this.redis, [k.record(id), k.alive, k.expiry],
      [k.prefix, id, k.events, isoTimestamp(this.now())]);
    return toNumber(reply) === 1;
  }

  /**
   * Delivers every registry event to `listener` over a dedicated subscriber connection; resolves
   * once subscribed, so events published afterwards are not missed.
   */
  async onEvent(listener: RegistryEventListener): Promise<EventSubscription> {
    return this.events.subscribe(listener);
  }

  /**
   * Waits (event-driven, with a deadline) until `id` is in one of `states`; `/start` uses it to
   * return once the sandbox runs or stopped.
   */
  async waitForState(id: string, states: readonly SandboxState[], options: WaitOptions): Promise<WaitResult> {
    return waitForState(this, id, states, options);
  }

  /** Closes the subscriber connection and, when this registry opened it, the command connection. */
  async close(): Promise<void> {
    await this.events.close();
    if (this.ownsConnection) await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
