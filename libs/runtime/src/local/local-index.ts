import { watch, type FSWatcher } from 'node:fs';
import type { RuntimeLogger } from '../runtime.types';
import type { LocalSandboxState } from './local-state';

/**
 * What the local runtime knows about its root directory without asking the filesystem, so a warm
 * create needs no syscall on its critical path:
 * - `adopted`: the state of every warm-pool rocklet this process handed to a sandbox, from the
 *   hand-out (before its state file lands on disk) until the sandbox is destroyed;
 * - `known`: names that may exist under the root (from a `readdir` at start and at every `list()`,
 *   inotify events, and this process's own creates); a name not in it is a fresh id;
 * - per-sandbox chains: a sandbox's background persistence and its destroy run one after another.
 */
export class LocalSandboxIndex {
  private readonly adopted = new Map<string, LocalSandboxState>();
  private known = new Set<string>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private watcher: FSWatcher | null = null;

  constructor(private readonly logger: RuntimeLogger) {}

  /** False only when nothing under the root can be named `id` (as far as this process saw). */
  mayExist(id: string): boolean {
    return this.known.has(id) || this.adopted.has(id) || this.chains.has(id);
  }

  /** Replaces the known names with a fresh `readdir` of the root (plus what this process holds). */
  seen(names: Iterable<string>): void {
    const next = new Set(names);
    for (const id of this.adopted.keys()) next.add(id);
    for (const id of this.chains.keys()) next.add(id);
    this.known = next;
  }

  /** Records a name this process is about to create under the root. */
  add(id: string): void {
    this.known.add(id);
  }

  /** Records a warm-pool rocklet handed to sandbox `state.sandboxId`. */
  adopt(state: LocalSandboxState): void {
    this.adopted.set(state.sandboxId, state);
    this.known.add(state.sandboxId);
  }

  /** The in-memory state of a sandbox adopted by this process, if any. */
  state(id: string): LocalSandboxState | undefined {
    return this.adopted.get(id);
  }

  /** States of the sandboxes this process adopted and has not destroyed. */
  adoptedStates(): LocalSandboxState[] {
    return [...this.adopted.values()];
  }

  /** The sandbox is gone: forget its state and name. */
  forget(id: string): void {
    this.adopted.delete(id);
    this.known.delete(id);
  }

  /**
   * Runs `task` after every task queued for `id` before it has settled (whatever their outcome),
   * so a destroy that comes before a sandbox's state file landed sees the finished write.
   */
  serial<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(id) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.chains.set(id, tail);
    void tail.then(() => {
      if (this.chains.get(id) === tail) this.chains.delete(id);
    });
    return next;
  }

  /** Resolves once every queued task has settled, or after `timeoutMs` (e.g. on shutdown). */
  async settled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.chains.values()]), timeout]);
    clearTimeout(timer);
  }

  /**
   * Learns names created under `rootDir` by other processes from inotify events (no syscall per
   * create). Best effort: a missed event only means a conflict is found in the background
   * instead of at create (see `persistAdoption`).
   */
  watch(rootDir: string): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(rootDir, { persistent: false }, (_event, name) => {
        if (typeof name === 'string' && name) this.known.add(name);
      });
      this.watcher.on('error', (err) => {
        this.logger.warn({ runtime: 'local', err }, 'local runtime: watching the root directory failed; relying on list() to learn names');
        this.unwatch();
      });
    } catch (err) {
      this.logger.warn({ runtime: 'local', err }, 'local runtime: cannot watch the root directory; relying on list() to learn names');
    }
  }

  unwatch(): void {
    this.watcher?.close();
    this.watcher = null;
  }
}
