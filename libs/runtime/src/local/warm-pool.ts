import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '../poll';
import { RuntimeError } from '../runtime.errors';
import type { RuntimeLogger } from '../runtime.types';
import { silentLogger } from '../runtime.types';
import { releasePort } from './free-port';
import { awaitLocalRocklet, killProcessTree } from './local-process';
import { spawnRocklet } from './local-spawn';
import { isLinkedSlot, readStateFile, sandboxPaths, writeStateFile, type LocalSandboxState } from './local-state';
import { isSameProcess, readProcStat } from './proc';

/** Directory under the runtime's root holding the warm pool's slots (never listed as sandboxes). */
export const WARM_POOL_DIR = '.warm-pool';
/** Environment variable marking a pooled rocklet's processes (value `<instance>/<slot>`). */
export const WARM_MARKER_VAR = 'ROCK_LOCAL_WARM';
/** A slot directory without a state file younger than this may still be starting (another process). */
const STATELESS_GRACE_MS = 60_000;
/**
 * Refill waits until takes pause for this long (a burst keeps the CPU for its creates instead of
 * sharing it with rocklet boots), but never longer than {@link REFILL_MAX_DELAY_MS} after a take.
 */
const REFILL_DEBOUNCE_MS = 200;
const REFILL_MAX_DELAY_MS = 1000;
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 30_000;

/** How a create used the pool, for metrics. */
export type WarmPoolOutcome = 'hit' | 'miss' | 'bypass';

/** Receives the pool's numbers (e.g. prom-client gauges and counters in the write service). */
export interface WarmPoolObserver {
  /** Ready (booted, unclaimed) rocklets now. */
  size(ready: number): void;
  /** A create took a pooled rocklet (`hit`), found none (`miss`) or could not use one (`bypass`). */
  take(outcome: WarmPoolOutcome): void;
}

/** A booted rocklet waiting in the pool, answering `/is_alive` on `port`, requiring `token`. */
export interface WarmRocklet {
  slot: string;
  /** The slot's directory (`<root>/.warm-pool/<slot>`), with `home/` and `rocklet.log`. */
  dir: string;
  child: ChildProcess;
  pid: number;
  startTime: string;
  port: number;
  token: string;
  isolation: 'bwrap' | 'none';
  /** `ROCK_LOCAL_WARM=<instance>/<slot>`. */
  marker: string;
  /** When the process was started (epoch ms). */
  spawnedAt: number;
  /** The pool's process (pid + start time), recorded in the slot's state. */
  owner?: { pid: number; startTime: string };
}

/** Configuration of {@link LocalWarmPool}. */
export interface LocalWarmPoolOptions {
  /** Ready rocklets to keep. */
  size: number;
  /** Rocklets booting at once while refilling (boot is CPU-bound). */
  maxConcurrentSpawns: number;
  /** The local runtime's root directory; slots live in `<rootDir>/.warm-pool/`. */
  rootDir: string;
  instance: string;
  host: string;
  rockletCommand: string[];
  dieWithParent: boolean;
  /** Environment of a pooled rocklet before HOME, the work dir, token and marker. */
  baseEnv: Record<string, string>;
  /** The runtime's isolation decision (bwrap path or null). */
  isolation: () => Promise<string | null>;
  /** Budget for one rocklet to answer `/is_alive` (default 60 s). */
  bootTimeoutMs?: number;
  probeTimeoutMs?: number;
  clock?: Clock;
  logger?: RuntimeLogger;
  observer?: WarmPoolObserver;
}

/**
 * Pre-started local rocklets (the SandboxWarmPool idea): {@link take} hands one out in O(1) and
 * refilling runs in the background with at most `maxConcurrentSpawns` boots at once. Each slot's
 * state file records its owner process; {@link start} removes slots whose owner died (a crashed
 * control plane), {@link drain} ends every slot on shutdown. A taken rocklet keeps running in its
 * slot directory, which then belongs to the sandbox (see `persistAdoption`).
 */
export class LocalWarmPool {
  private readonly ready: WarmRocklet[] = [];
  private readonly booting = new Set<AbortController>();
  private readonly boots = new Set<Promise<void>>();
  private readonly clock: Clock;
  private readonly logger: RuntimeLogger;
  private owner: { pid: number; startTime: string } | null = null;
  private started = false;
  private draining = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private refillTimer: NodeJS.Timeout | null = null;
  private refillDueBy: number | null = null;

  constructor(private readonly options: LocalWarmPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 0) throw new RuntimeError('INVALID_SPEC', `warmPool.size: must be an integer >= 0, got ${options.size}`);
    if (!Number.isInteger(options.maxConcurrentSpawns) || options.maxConcurrentSpawns < 1) {
      throw new RuntimeError('INVALID_SPEC', `warmPool.maxConcurrentSpawns: must be an integer >= 1, got ${options.maxConcurrentSpawns}`);
    }
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  /** `<rootDir>/.warm-pool`. */
  get dir(): string {
    return join(this.options.rootDir, WARM_POOL_DIR);
  }

  /** Ready rocklets now. */
  get readyCount(): number {
    return this.ready.length;
  }

  /** Removes slots left by dead owners (a crashed control plane), then starts filling. Idempotent. */
  async start(): Promise<void> {
    if (this.started || this.draining) return;
    this.started = true;
    const self = await readProcStat(process.pid);
    this.owner = { pid: process.pid, startTime: self?.startTime ?? '' };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const removed = await this.removeStaleSlots();
    if (removed > 0) this.logger.info({ runtime: 'local', removed }, 'removed warm-pool rocklets left by a previous control plane');
    this.options.observer?.size(0);
    this.fill();
  }

  /**
   * A ready rocklet, or null when the pool is empty (the caller then starts one cold). The caller
   * owns the returned process. Refilling starts once takes pause (at most 1 s later).
   */
  take(): WarmRocklet | null {
    let rocklet = this.ready.shift();
    // An exit already seen by the child object but not yet delivered as an event: skip it.
    while (rocklet && (rocklet.child.exitCode !== null || rocklet.child.signalCode !== null)) {
      void this.discard(rocklet);
      rocklet = this.ready.shift();
    }
    this.options.observer?.size(this.ready.length);
    this.scheduleRefill();
    return rocklet ?? null;
  }

  /** Stops refilling, aborts boots in progress and ends every pooled rocklet. */
  async drain(): Promise<void> {
    this.draining = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.refillTimer) clearTimeout(this.refillTimer);
    this.retryTimer = null;
    this.refillTimer = null;
    for (const controller of this.booting) controller.abort();
    await Promise.allSettled([...this.boots]);
    const slots = this.ready.splice(0);
    await Promise.all(slots.map((slot) => this.discard(slot)));
    this.options.observer?.size(0);
  }

  /** Kills a slot's processes and removes its directory (e.g. a taken rocklet that could not be used). */
  async discard(rocklet: Pick<WarmRocklet, 'pid' | 'startTime' | 'isolation' | 'marker' | 'dir'>): Promise<void> {
    await this.killSlot(rocklet.pid, rocklet.startTime, rocklet.isolation === 'bwrap' ? null : rocklet.marker).catch((err: unknown) =>
      this.logger.warn({ runtime: 'local', err, pid: rocklet.pid }, 'could not kill a warm-pool rocklet'),
    );
    await rm(rocklet.dir, { recursive: true, force: true });
  }

  /** Debounced {@link fill}: 200 ms after the last take, at most 1 s after the first unserved one. */
  private scheduleRefill(): void {
    if (this.draining) return;
    const now = this.clock.now();
    this.refillDueBy ??= now + REFILL_MAX_DELAY_MS;
    if (this.refillTimer) clearTimeout(this.refillTimer);
    this.refillTimer = setTimeout(() => {
      this.refillTimer = null;
      this.refillDueBy = null;
      this.fill();
    }, Math.max(0, Math.min(REFILL_DEBOUNCE_MS, this.refillDueBy - now)));
    this.refillTimer.unref();
  }

  /** Starts boots until ready + booting reaches the size, at most `maxConcurrentSpawns` at once. */
  private fill(): void {
    const { size, maxConcurrentSpawns } = this.options;
    while (this.started && !this.draining && !this.retryTimer && this.ready.length + this.boots.size < size && this.boots.size < maxConcurrentSpawns) {
      const boot = this.bootOne();
      this.boots.add(boot);
      void boot.finally(() => {
        this.boots.delete(boot);
        this.fill();
      });
    }
  }

  private async bootOne(): Promise<void> {
    const controller = new AbortController();
    this.booting.add(controller);
    const slot = `warm-${randomBytes(6).toString('hex')}`;
    try {
      const rocklet = await this.boot(slot, controller.signal);
      if (this.draining) {
        await this.discard(rocklet);
        return;
      }
      this.failures = 0;
      this.ready.push(rocklet);
      rocklet.child.once('exit', () => this.forget(rocklet));
      this.options.observer?.size(this.ready.length);
    } catch (err) {
      await rm(join(this.dir, slot), { recursive: true, force: true }).catch(() => undefined);
      if (!this.draining) this.retryLater(err);
    } finally {
      this.booting.delete(controller);
    }
  }

  /** Pauses refilling after a failed boot: 0.5 s, 1 s, 2 s, … up to 30 s. */
  private retryLater(err: unknown): void {
    this.failures++;
    const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (this.failures - 1));
    this.logger.warn({ runtime: 'local', err, retryInMs: delay }, 'a warm-pool rocklet failed to boot');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.fill();
    }, delay);
    this.retryTimer.unref();
  }

  /** A pooled rocklet exited on its own: drop it and its directory, then refill. */
  private forget(rocklet: WarmRocklet): void {
    const at = this.ready.indexOf(rocklet);
    if (at < 0) return;
    this.ready.splice(at, 1);
    this.options.observer?.size(this.ready.length);
    this.logger.warn({ runtime: 'local', slot: rocklet.slot, pid: rocklet.pid }, 'a warm-pool rocklet exited while idle');
    void this.discard(rocklet).finally(() => this.fill());
  }

  /** Starts one rocklet in a fresh slot and waits until it answers `/is_alive`. */
  private async boot(slot: string, signal: AbortSignal): Promise<WarmRocklet> {
    const dir = join(this.dir, slot);
    const paths = sandboxPaths(this.dir, slot);
    await mkdir(paths.home, { recursive: true, mode: 0o700 });
    const bwrapPath = await this.options.isolation();
    const base = this.slotState(slot, bwrapPath);
    await writeStateFile(paths.state, base);
    const token = randomBytes(24).toString('hex');
    const marker = `${WARM_MARKER_VAR}=${this.options.instance}/${slot}`;
    const env = { ...this.options.baseEnv, ROCKLET_WORK_DIR: join(dir, 'rocklet-work'), HOME: paths.home, ROCKLET_TOKEN: token, [WARM_MARKER_VAR]: `${this.options.instance}/${slot}` };
    const spawnedAt = this.clock.now();
    const { rockletCommand, host, dieWithParent } = this.options;
    const spawned = await spawnRocklet({ name: slot, rockletCommand, host, dieWithParent, home: paths.home, logPath: paths.log, env, bwrapPath });
    const state: LocalSandboxState = { ...base, pid: spawned.pid, startTime: spawned.startTime, port: spawned.port };
    const rocklet: WarmRocklet = {
      slot, dir, child: spawned.child, pid: spawned.pid, startTime: spawned.startTime ?? '', port: spawned.port, token, isolation: base.isolation, marker, spawnedAt, owner: base.owner,
    };
    try {
      await writeStateFile(paths.state, state);
      const deadline = this.clock.now() + (this.options.bootTimeoutMs ?? 60_000);
      await awaitLocalRocklet(spawned.child, this.options.host, state, deadline, signal, {
        clock: this.clock,
        probeTimeoutMs: this.options.probeTimeoutMs ?? 1000,
        logPath: (id) => sandboxPaths(this.dir, id).log,
      });
      return rocklet;
    } catch (err) {
      await this.discard(rocklet);
      throw err;
    } finally {
      releasePort(spawned.port);
    }
  }

  private slotState(slot: string, bwrapPath: string | null): LocalSandboxState {
    return {
      sandboxId: slot,
      instance: this.options.instance,
      image: '',
      pid: null,
      startTime: null,
      port: 0,
      isolation: bwrapPath ? 'bwrap' : 'none',
      createdAt: new Date(this.clock.now()).toISOString(),
      labels: {},
      marker: `${WARM_MARKER_VAR}=${this.options.instance}/${slot}`,
      owner: this.owner ?? undefined,
    };
  }

  /**
   * Removes this instance's slots whose owner process is gone, and dangling aliases. A slot a
   * sandbox took (its state names the sandbox, not the slot) is kept while `<root>/<sandboxId>`
   * links to it: it is that sandbox's directory, and `list()` / the reconciler decide its fate.
   */
  private async removeStaleSlots(): Promise<number> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const removed = await Promise.all(names.map((name) => this.removeIfStale(name)));
    return removed.filter(Boolean).length;
  }

  private async removeIfStale(name: string): Promise<boolean> {
    const path = join(this.dir, name);
    const info = await lstat(path).catch(() => null);
    if (!info) return false;
    if (info.isSymbolicLink()) {
      // An alias of a taken slot: keep it while its sandbox directory exists.
      if (!(await stat(path).catch(() => null))) await unlink(path).catch(() => undefined);
      return false;
    }
    if (!info.isDirectory()) return false;
    const state = await readStateFile(join(path, 'sandbox.json'));
    if (!state) {
      if (this.clock.now() - info.mtimeMs < STATELESS_GRACE_MS) return false;
      await rm(path, { recursive: true, force: true });
      return true;
    }
    if (state.instance !== this.options.instance) return false;
    if (state.sandboxId !== name && (await isLinkedSlot(this.options.rootDir, state.sandboxId, path))) return false;
    if (state.owner && (await isSameProcess(state.owner.pid, state.owner.startTime))) return false;
    if (state.pid !== null) await this.killSlot(state.pid, state.startTime ?? '', state.marker ?? null);
    await rm(path, { recursive: true, force: true });
    return true;
  }

  /** SIGKILLs a slot's rocklet; with bwrap its pid namespace takes every process down with it. */
  private killSlot(pid: number, startTime: string, marker: string | null): Promise<void> {
    return killProcessTree(pid, startTime, marker, this.clock);
  }
}
