import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isAbsolute } from 'node:path';
import { ROCKLET_PORT, sandboxLabels, DEFAULT_INSTANCE_LABEL } from '../labels';
import { PhaseReporter } from '../phase-reporter';
import { isDeadlineAbort, systemClock, throwIfAborted, type Clock } from '../poll';
import { abortReason, deadlineSignal } from '../signals';
import { Semaphore } from '../semaphore';
import { assertValidSpec } from '../spec-validation';
import { RuntimeError } from '../runtime.errors';
import type { CreateOptions, RuntimeHandle, RuntimeLogger, RuntimeResource, RuntimeState, SandboxRuntime, SandboxSpec } from '../runtime.types';
import { silentLogger } from '../runtime.types';
import { releasePort } from './free-port';
import { detectLocalIsolation } from './local-isolation';
import { awaitLocalRocklet, killProcessTree } from './local-process';
import { spawnRocklet } from './local-spawn';
import { LocalSandboxIndex } from './local-index';
import type { LocalRuntimeOptions } from './local-options';
import { imageNote, resourceId, startupTimeout } from './local-sandbox';
import { isLinkedSlot, readState, sandboxPaths, writeState, type LocalSandboxState } from './local-state';
import { isSameProcess } from './proc';
import { AdoptionWriter } from './adoption-writer';
import { adoptedState, persistAdoption, warmPoolBypassReason } from './warm-adopt';
import { LocalWarmPool, type WarmRocklet } from './warm-pool';

export type { LocalRuntimeOptions } from './local-options';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Environment variable marking a sandbox's processes (value `<instance>/<sandboxId>`). */
const MARKER_VAR = 'ROCK_LOCAL_SANDBOX';
/** Launch attempts when rocklet dies during start-up (e.g. its port was taken meanwhile). */
const LAUNCH_ATTEMPTS = 3;
/** close() waits at most this long for adopted sandboxes' state files to land. */
const CLOSE_SETTLE_MS = 5000;
/** Warm-pool refill boots at once: one core keeps booting while the other serves creates. */
const DEFAULT_WARM_SPAWNS = 1;

/**
 * Sandboxes as rocklet processes on this host, each in its own process group and working
 * directory, inside bubblewrap pid/ipc/uts namespaces when available. The image is recorded, not
 * used. Isolation is weak (shared filesystem, network and user): for development and tests only.
 */
export class LocalRuntime implements SandboxRuntime {
  readonly name = 'local' as const;
  readonly capabilities = { restart: false, commit: false, warmup: false };
  private readonly clock: Clock;
  private readonly logger: RuntimeLogger;
  private readonly host: string;
  private readonly children = new Map<string, ChildProcess>();
  private isolationPromise: Promise<string | null> | null = null;
  private readonly starts: Semaphore;
  private readonly pool: LocalWarmPool | null;
  private readonly index: LocalSandboxIndex;
  private readonly adoptionWriter: AdoptionWriter;

  constructor(private readonly options: LocalRuntimeOptions) {
    if (!isAbsolute(options.rootDir)) {
      throw new RuntimeError('INVALID_SPEC', `rootDir: must be an absolute path, got "${options.rootDir}"`);
    }
    if (!options.instance) throw new RuntimeError('INVALID_SPEC', 'instance: must be a non-empty string');
    if (options.rockletCommand.length === 0) throw new RuntimeError('INVALID_SPEC', 'rockletCommand: must not be empty');
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.host = options.host ?? '127.0.0.1';
    this.starts = new Semaphore(options.maxConcurrentStarts ?? Number.MAX_SAFE_INTEGER);
    this.pool = options.warmPool && options.warmPool.size > 0 ? this.warmPool(options.warmPool) : null;
    this.index = new LocalSandboxIndex(this.logger);
    this.adoptionWriter = new AdoptionWriter((state) => void this.index.serial(state.sandboxId, () => this.persistWarm(state)));
  }

  /**
   * Removes warm-pool rocklets a crashed predecessor left, then fills the pool in the background;
   * learns the names under the root (a warm create then checks for a leftover without a syscall).
   */
  async start(): Promise<void> {
    if (!this.pool) return;
    await this.pool.start();
    this.index.watch(this.options.rootDir);
    this.index.seen(await readdir(this.options.rootDir).catch(() => []));
  }

  async create(spec: SandboxSpec, options: CreateOptions = {}): Promise<RuntimeHandle> {
    assertValidSpec(spec);
    throwIfAborted(options.signal);
    const warm = this.takeWarm(spec);
    if (warm) return this.createWarm(spec, warm, options);
    return this.createCold(spec, options);
  }

  private async createCold(spec: SandboxSpec, options: CreateOptions): Promise<RuntimeHandle> {
    const reporter = new PhaseReporter(options.onPhase);
    const deadline = this.clock.now() + spec.startupTimeoutMs;
    const signal = deadlineSignal(spec.startupTimeoutMs, options.signal);
    const slot = { release: (): void => undefined };
    let created = false;
    try {
      await reporter.run('image_pull', () => imageNote(spec));
      await reporter.run('container_create', async () => ({ value: await this.prepare(spec) }));
      created = true;
      throwIfAborted(options.signal);
      const launched = await reporter.run('container_start', async () => {
        slot.release = await this.starts.acquire(signal).catch((err: unknown) => {
          throw isDeadlineAbort(signal) ? startupTimeout('waiting for a start slot') : err;
        });
        const bwrapPath = await this.isolation();
        return { value: { bwrapPath, state: await this.launchSerially(spec, bwrapPath) } };
      });
      return await reporter.run('rocklet_ready', () => this.awaitReady(spec, launched.state, launched.bwrapPath, deadline, signal));
    } catch (err) {
      if (created) await this.destroy(spec.sandboxId).catch(() => undefined);
      throw abortReason(options.signal, err);
    } finally {
      slot.release();
    }
  }

  private warmPool(settings: NonNullable<LocalRuntimeOptions['warmPool']>): LocalWarmPool {
    const o = this.options;
    return new LocalWarmPool({
      size: settings.size,
      maxConcurrentSpawns: settings.maxConcurrentSpawns ?? DEFAULT_WARM_SPAWNS,
      rootDir: o.rootDir,
      instance: o.instance,
      host: this.host,
      rockletCommand: o.rockletCommand,
      dieWithParent: o.dieWithParent ?? true,
      baseEnv: { PATH: DEFAULT_PATH, ...o.baseEnv },
      isolation: () => this.isolation(),
      probeTimeoutMs: o.probeTimeoutMs,
      clock: this.clock,
      logger: this.logger,
      observer: settings.observer,
    });
  }

  /** A pooled rocklet for `spec`, or null (no pool, pool empty, or a spec the pool cannot serve). */
  private takeWarm(spec: SandboxSpec): WarmRocklet | null {
    if (!this.pool) return null;
    const observer = this.options.warmPool?.observer;
    const bypass = warmPoolBypassReason(spec);
    if (bypass) {
      this.logger.info({ sandboxId: spec.sandboxId, reason: bypass }, 'warm pool bypassed: starting a cold rocklet');
      observer?.take('bypass');
      return null;
    }
    const warm = this.pool.take();
    observer?.take(warm ? 'hit' : 'miss');
    return warm;
  }

  /** Hands a pooled rocklet to the sandbox: no process start, no readiness wait. */
  private async createWarm(spec: SandboxSpec, warm: WarmRocklet, options: CreateOptions): Promise<RuntimeHandle> {
    const reporter = new PhaseReporter(options.onPhase);
    let adopted = false;
    try {
      await reporter.run('image_pull', () => imageNote(spec));
      const state = await reporter.run('container_create', async () => {
        // A name never seen under the root needs no look (the usual case: no syscall, no wait).
        if (this.index.mayExist(spec.sandboxId)) await this.clearLeftover(spec);
        const adoptedAs = adoptedState(warm, this.initialState(spec, null));
        this.index.adopt(adoptedAs);
        adopted = true;
        this.children.set(spec.sandboxId, warm.child);
        this.adoptionWriter.queue(adoptedAs);
        return { value: adoptedAs, message: `took pre-started rocklet ${warm.slot} from the warm pool` };
      });
      await reporter.run('container_start', () =>
        Promise.resolve({ value: null, message: `warm pool: rocklet pid ${warm.pid} was started ${this.clock.now() - warm.spawnedAt} ms before this create` }),
      );
      return await reporter.run('rocklet_ready', () => {
        // The pool watched it answer /is_alive; an exit since then is already known to the child object.
        if (warm.child.exitCode !== null || warm.child.signalCode !== null) {
          throw new RuntimeError('SANDBOX_EXITED', 'The pooled rocklet exited before it was handed out.', { transient: true });
        }
        return Promise.resolve({ value: { ...this.handle(state), rockletToken: warm.token }, message: '' });
      });
    } catch (err) {
      if (adopted) await this.destroy(spec.sandboxId).catch(() => undefined);
      else await this.pool?.discard(warm);
      throw abortReason(options.signal, err);
    }
  }

  /** Waits for rocklet; relaunches (new port) when it died during start-up, up to 3 launches. */
  private async awaitReady(
    spec: SandboxSpec,
    first: LocalSandboxState,
    bwrapPath: string | null,
    deadline: number,
    signal: AbortSignal,
  ): Promise<{ value: RuntimeHandle; message: string }> {
    let state = first;
    for (let attempt = 1; ; attempt++) {
      const current = state;
      try {
        await awaitLocalRocklet(this.children.get(spec.sandboxId), this.host, current, deadline, signal, this.probeOptions());
        return { value: this.handle(current), message: attempt > 1 ? `rocklet answered on launch attempt ${attempt}` : '' };
      } catch (err) {
        if (!(err instanceof RuntimeError) || err.code !== 'SANDBOX_EXITED' || attempt >= LAUNCH_ATTEMPTS) throw err;
      } finally {
        releasePort(current.port);
      }
      state = await this.launchSerially(spec, bwrapPath);
    }
  }

  /**
   * The background half of a warm create: state file + link (see `persistAdoption`). When that
   * fails (e.g. another instance's sandbox appeared at the id), the rocklet is ended and the
   * sandbox forgotten, so the reconciler marks its record lost instead of a process leaking.
   */
  private async persistWarm(state: LocalSandboxState): Promise<void> {
    try {
      await persistAdoption(this.options.rootDir, state);
    } catch (err) {
      this.logger.warn({ runtime: 'local', sandboxId: state.sandboxId, err }, 'could not record a sandbox that took a warm-pool rocklet; ending it');
      await this.endProcesses(state).catch(() => undefined);
      this.children.delete(state.sandboxId);
      if (state.slotDir) await rm(state.slotDir, { recursive: true, force: true }).catch(() => undefined);
      this.index.forget(state.sandboxId);
    }
  }

  /**
   * Idempotent; waits for the sandbox's state to be on disk first when it took a pooled rocklet
   * and that write has started (one still queued is dropped: nothing of it is on disk yet).
   */
  destroy(sandboxId: string): Promise<void> {
    this.adoptionWriter.cancel(sandboxId);
    return this.index.serial(sandboxId, () => this.destroyNow(sandboxId));
  }

  /** Ends the processes, then removes the id's entry (dir or link) before the slot it links to. */
  private async destroyNow(sandboxId: string): Promise<void> {
    const state = await this.stateOf(sandboxId);
    if (!state || state.instance !== this.options.instance) return;
    await this.endProcesses(state);
    this.children.delete(sandboxId);
    if (state.alias) await unlink(state.alias).catch(() => undefined);
    // A warm sandbox whose link was never written must not remove what else may sit at its name.
    if (!state.slotDir || (await isLinkedSlot(this.options.rootDir, sandboxId, state.slotDir))) {
      await rm(sandboxPaths(this.options.rootDir, sandboxId).dir, { recursive: true, force: true });
    }
    if (state.slotDir) await rm(state.slotDir, { recursive: true, force: true });
    this.index.forget(sandboxId);
  }

  /** This process's in-memory state of an adopted sandbox (its file may not have landed), else the file's. */
  private async stateOf(sandboxId: string): Promise<LocalSandboxState | null> {
    return this.index.state(sandboxId) ?? (await readState(this.options.rootDir, sandboxId));
  }

  private endProcesses(state: LocalSandboxState): Promise<void> {
    // In a bwrap pid namespace every process dies with its init; plain processes may have escaped.
    const marker = state.isolation === 'bwrap' && state.pid !== null ? null : (state.marker ?? this.markerEntry(state.sandboxId));
    return killProcessTree(state.pid ?? 0, state.startTime ?? '', marker, this.clock);
  }

  async inspect(sandboxId: string): Promise<RuntimeState | null> {
    const state = await this.stateOf(sandboxId);
    if (!state || state.instance !== this.options.instance) return null;
    const running = await this.isRunning(state);
    return {
      sandboxId,
      resourceId: resourceId(state),
      status: running ? 'running' : state.pid === null ? 'created' : 'exited',
      running,
      exitCode: running ? null : (this.children.get(sandboxId)?.exitCode ?? null),
      image: state.image,
      createdAt: new Date(state.createdAt),
      address: running ? this.host : null,
    };
  }

  async list(): Promise<RuntimeResource[]> {
    let entries: string[];
    try {
      entries = await readdir(this.options.rootDir);
    } catch {
      return [];
    }
    if (this.pool) this.index.seen(entries);
    const states = await Promise.all(entries.map((id) => readState(this.options.rootDir, id)));
    const mine = states.filter((s): s is LocalSandboxState => s !== null && s.instance === this.options.instance);
    // Adopted warm sandboxes whose link has not landed yet (or whose entry someone removed).
    const onDisk = new Set(mine.map((s) => s.sandboxId));
    mine.push(...this.index.adoptedStates().filter((s) => !onDisk.has(s.sandboxId)));
    return Promise.all(
      mine.map(async (state) => ({
        sandboxId: state.sandboxId,
        resourceId: resourceId(state),
        running: await this.isRunning(state),
        image: state.image,
        createdAt: new Date(state.createdAt),
        labels: state.labels,
      })),
    );
  }

  /** Ends the warm pool's idle rocklets; sandboxes' rocklets outlive the driver object (list() finds them again). */
  async close(): Promise<void> {
    this.index.unwatch();
    // Lets the state files of just-adopted sandboxes land, so a restart finds them.
    this.adoptionWriter.flush();
    await this.index.settled(CLOSE_SETTLE_MS);
    await this.pool?.drain();
    this.children.clear();
  }

  /** The bwrap path when sandboxes run in namespaces, null for plain processes (decided once). */
  isolation(): Promise<string | null> {
    this.isolationPromise ??= detectLocalIsolation(this.options, this.logger).catch((err: unknown) => {
      this.isolationPromise = null;
      throw err;
    });
    return this.isolationPromise;
  }

  private async prepare(spec: SandboxSpec): Promise<void> {
    await this.clearLeftover(spec);
    this.index.add(spec.sandboxId);
    await mkdir(sandboxPaths(this.options.rootDir, spec.sandboxId).home, { recursive: true, mode: 0o700 });
    await writeState(this.options.rootDir, this.initialState(spec, null));
  }

  /** Refuses another instance's directory of the same id; removes this instance's leftover. */
  private async clearLeftover(spec: SandboxSpec): Promise<void> {
    if (this.index.state(spec.sandboxId)) {
      this.logger.warn({ sandboxId: spec.sandboxId }, 'replacing a local sandbox with the same id');
      await this.destroy(spec.sandboxId);
      return;
    }
    // One stat syscall (no thread-pool round trips) for the usual case of a fresh id.
    if (!existsSync(sandboxPaths(this.options.rootDir, spec.sandboxId).state)) return;
    const existing = await readState(this.options.rootDir, spec.sandboxId);
    if (existing && existing.instance !== this.options.instance) {
      throw new RuntimeError('CONFLICT', `Sandbox directory ${spec.sandboxId} belongs to another ROCK instance.`, { phase: 'container_create' });
    }
    if (existing) {
      this.logger.warn({ sandboxId: spec.sandboxId }, 'replacing a leftover local sandbox with the same id');
      await this.destroy(spec.sandboxId);
    }
  }

  private initialState(spec: SandboxSpec, bwrapPath: string | null): LocalSandboxState {
    return {
      sandboxId: spec.sandboxId,
      instance: this.options.instance,
      image: spec.image,
      pid: null,
      startTime: null,
      port: 0,
      isolation: bwrapPath ? 'bwrap' : 'none',
      createdAt: new Date().toISOString(),
      labels: sandboxLabels(spec.sandboxId, { label: DEFAULT_INSTANCE_LABEL, value: this.options.instance }, spec.labels),
    };
  }

  /**
   * Spawns rocklet (through bwrap when set) in its own process group and records it. The port
   * stays reserved until the caller releases it after rocklet bound it (or failed).
   */
  /**
   * {@link launch} in the sandbox's task order: a destroy that comes meanwhile (a stop racing its
   * create) runs after the state file names the new process, instead of reading the pid-less
   * state, missing the process being spawned and removing the directory under it (a leaked rocklet).
   */
  private launchSerially(spec: SandboxSpec, bwrapPath: string | null): Promise<LocalSandboxState> {
    return this.index.serial(spec.sandboxId, () => this.launch(spec, bwrapPath));
  }

  private async launch(spec: SandboxSpec, bwrapPath: string | null): Promise<LocalSandboxState> {
    const paths = sandboxPaths(this.options.rootDir, spec.sandboxId);
    const spawned = await spawnRocklet({
      name: spec.sandboxId,
      rockletCommand: this.options.rockletCommand,
      host: this.host,
      home: paths.home,
      logPath: paths.log,
      env: this.childEnv(spec, paths.home),
      bwrapPath,
      dieWithParent: this.options.dieWithParent ?? true,
    });
    try {
      this.children.set(spec.sandboxId, spawned.child);
      const state = { ...this.initialState(spec, bwrapPath), pid: spawned.pid, startTime: spawned.startTime, port: spawned.port };
      await writeState(this.options.rootDir, state);
      return state;
    } catch (err) {
      releasePort(spawned.port);
      throw err;
    }
  }

  /** Base env, a per-sandbox rocklet staging dir (rocklets on one host must not share one), the spec's env. */
  private childEnv(spec: SandboxSpec, home: string): Record<string, string> {
    const workDir = `${sandboxPaths(this.options.rootDir, spec.sandboxId).dir}/rocklet-work`;
    return {
      PATH: DEFAULT_PATH,
      ...this.options.baseEnv,
      ROCKLET_WORK_DIR: workDir,
      ...spec.env,
      HOME: home,
      ROCKLET_TOKEN: spec.rockletToken,
      [MARKER_VAR]: this.markerValue(spec.sandboxId),
    };
  }

  private markerValue(sandboxId: string): string {
    return `${this.options.instance}/${sandboxId}`;
  }

  /** The env entry every process of the sandbox inherits; destroy finds escaped processes by it. */
  private markerEntry(sandboxId: string): string {
    return `${MARKER_VAR}=${this.markerValue(sandboxId)}`;
  }

  private handle(state: LocalSandboxState): RuntimeHandle {
    return {
      sandboxId: state.sandboxId,
      resourceId: resourceId(state),
      address: this.host,
      rockletPort: state.port,
      rockletUrl: `http://${this.host}:${state.port}`,
      portMapping: { [ROCKLET_PORT]: String(state.port) },
      hostName: this.options.hostName ?? hostname(),
      hostIp: this.host,
      readyAt: new Date(),
    };
  }

  private probeOptions(): { clock: Clock; probeTimeoutMs: number; logPath: (id: string) => string } {
    return {
      clock: this.clock,
      probeTimeoutMs: this.options.probeTimeoutMs ?? 1000,
      logPath: (id) => sandboxPaths(this.options.rootDir, id).log,
    };
  }

  private async isRunning(state: LocalSandboxState): Promise<boolean> {
    return state.pid !== null && state.startTime !== null && isSameProcess(state.pid, state.startTime);
  }
}
