import type { V1Pod } from '@kubernetes/client-node';
import { abortedError, type Clock } from '../poll';
import type { RuntimeLogger } from '../runtime.types';
import { apiStatus, fromApiError, type KubernetesPodApi, type WatchEvent } from './kubernetes-pod.api';

/** What the informer tells its owner besides the cache. */
export interface PodInformerHooks {
  /** A pod was deleted (watch DELETED, or missing from a relist). */
  onDelete(pod: V1Pod): void;
  /** A pod was added or changed. */
  onUpdate(pod: V1Pod): void;
}

/** Decides, for each new state of one pod (undefined = deleted), whether a wait is over. */
export type PodDecision<T> = (pod: V1Pod | undefined) => { done: T } | { fail: unknown } | undefined;

/** Counters for diagnostics and tests. */
export interface InformerStats {
  lists: number;
  watches: number;
  relistsAfterGone: number;
}

const BACKOFF = { initialMs: 250, maxMs: 30_000 };
/** A watch that ends sooner than this without delivering anything counts as a failure (no tight loop). */
const MIN_HEALTHY_WATCH_MS = 1000;

/**
 * A list + watch cache of the driver's pods (client-go's reflector, in small): one list, then a
 * watch resumed from the last resourceVersion whenever the server closes it (bookmarks keep that
 * version fresh), a relist only after 410 Gone, and a growing delay after failures. Waits are
 * event-driven: nothing here polls. The streams are client-node's `Watch` (via
 * {@link KubernetesPodApi.watchPods}). client-node's own `ListWatch`/`makeInformer` is not used:
 * it does not ask for bookmarks (after a quiet spell its resourceVersion may be compacted away, so a
 * reconnect costs a relist), it stops for good after any error but 410 and timeouts, its `start()`
 * swallows a failed list, and its requests bypass the client-side rate limit.
 */
export class PodInformer {
  readonly stats: InformerStats = { lists: 0, watches: 0, relistsAfterGone: 0 };
  private readonly cache = new Map<string, V1Pod>();
  private readonly waiters = new Map<string, Set<(pod: V1Pod | undefined) => void>>();
  private readonly stopper = new AbortController();
  private starting: Promise<void> | null = null;
  private loop: Promise<void> | null = null;
  private rv = '';
  private failures = 0;

  constructor(
    private readonly api: KubernetesPodApi,
    private readonly labelSelector: string,
    private readonly hooks: PodInformerHooks,
    private readonly clock: Clock,
    private readonly logger: RuntimeLogger,
  ) {}

  /** Lists and starts watching once; later calls wait for the same start. Rejects when the list fails. */
  start(): Promise<void> {
    this.starting ??= this.relist()
      .then(() => {
        this.loop = this.watchLoop();
      })
      .catch((err: unknown) => {
        this.starting = null;
        throw fromApiError(err, 'listing sandbox pods');
      });
    return this.starting;
  }

  get(name: string): V1Pod | undefined {
    return this.cache.get(name);
  }

  list(): V1Pod[] {
    return [...this.cache.values()];
  }

  /** The resourceVersion the next watch resumes from. */
  resourceVersion(): string {
    return this.rv;
  }

  /** Resolves/rejects when `decide` says so for the pod `name`; checks the cached state first. */
  waitFor<T>(name: string, decide: PodDecision<T>, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        this.waiters.get(name)?.delete(check);
        signal.removeEventListener('abort', onAbort);
      };
      const check = (pod: V1Pod | undefined): void => {
        const verdict = decide(pod);
        if (!verdict) return;
        finish();
        if ('done' in verdict) resolve(verdict.done);
        else reject(verdict.fail instanceof Error ? verdict.fail : new Error(String(verdict.fail)));
      };
      const onAbort = (): void => {
        finish();
        reject(abortedError());
      };
      if (signal.aborted) return reject(abortedError());
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.set(name, (this.waiters.get(name) ?? new Set()).add(check));
      const cached = this.cache.get(name);
      if (cached) check(cached);
    });
  }

  async close(): Promise<void> {
    this.stopper.abort();
    await this.loop;
  }

  private async relist(): Promise<void> {
    const list = await this.api.listPods(this.labelSelector);
    this.stats.lists += 1;
    const seen = new Set<string>();
    for (const pod of list.items) {
      seen.add(pod.metadata?.name ?? '');
      this.apply({ type: 'MODIFIED', object: pod });
    }
    for (const [name, pod] of this.cache) if (!seen.has(name)) this.apply({ type: 'DELETED', object: pod });
    this.rv = list.metadata?.resourceVersion ?? '';
  }

  private async watchLoop(): Promise<void> {
    const signal = this.stopper.signal;
    while (!signal.aborted) {
      const began = this.clock.now();
      let delivered = false;
      let gone = false;
      try {
        this.stats.watches += 1;
        await this.api.watchPods(this.labelSelector, this.rv, (event) => {
          delivered = true;
          if (event.type === 'ERROR') gone ||= event.object.code === 410;
          else this.apply(event);
        }, signal);
        if (gone) await this.relistAfterGone();
        this.failures = delivered || this.clock.now() - began >= MIN_HEALTHY_WATCH_MS ? 0 : this.failures + 1;
      } catch (err) {
        if (signal.aborted) break;
        if (apiStatus(err) === 410) await this.relistAfterGone().catch(() => undefined);
        else this.failures += 1;
        this.logger.warn({ err: String(err), failures: this.failures }, 'pod watch failed');
      }
      await this.backoff(signal);
    }
  }

  private async relistAfterGone(): Promise<void> {
    this.stats.relistsAfterGone += 1;
    this.rv = '';
    await this.relist();
  }

  private async backoff(signal: AbortSignal): Promise<void> {
    if (this.failures === 0 || signal.aborted) return;
    const delay = Math.min(BACKOFF.maxMs, BACKOFF.initialMs * 2 ** (this.failures - 1));
    await this.clock.sleep(delay, signal).catch(() => undefined);
    if (!this.rv) await this.relist().catch(() => undefined);
  }

  private apply(event: WatchEvent): void {
    const pod = event.object;
    const version = pod.metadata?.resourceVersion;
    if (event.type === 'BOOKMARK') {
      if (version) this.rv = version;
      return;
    }
    const name = pod.metadata?.name ?? '';
    if (event.type === 'DELETED') {
      this.cache.delete(name);
      this.hooks.onDelete(pod);
    } else {
      if (this.cache.get(name)?.metadata?.resourceVersion === version) return;
      this.cache.set(name, pod);
      this.hooks.onUpdate(pod);
    }
    if (version) this.rv = version;
    for (const check of [...(this.waiters.get(name) ?? [])]) check(event.type === 'DELETED' ? undefined : pod);
  }
}
