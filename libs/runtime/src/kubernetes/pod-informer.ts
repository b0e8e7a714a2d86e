import { ListWatch, type V1Pod, type Watch } from '@kubernetes/client-node';
import { abortedError, type Clock } from '../poll';
import type { RuntimeLogger } from '../runtime.types';
import { fromApiError, type KubernetesPodApi } from './kubernetes-pod.api';

/** What the informer tells its owner besides the cache. */
export interface PodInformerHooks {
  /** A pod was deleted (watch DELETED, or missing from a relist). */
  onDelete(pod: V1Pod): void;
  /** A pod was added or changed. */
  onUpdate(pod: V1Pod): void;
}

/** Decides, for each new state of one pod (undefined = deleted), whether a wait is over. */
export type PodDecision<T> = (pod: V1Pod | undefined) => { done: T } | { fail: unknown } | undefined;

const RESTART_BACKOFF = { initialMs: 500, maxMs: 30_000 };

/**
 * A list + watch cache of the driver's pods (client-node's ListWatch): resumes a closed watch from
 * the last resourceVersion (bookmarks keep it fresh), relists on 410 Gone, and restarts a failed
 * watch with a growing delay. Waits are event-driven: nothing here polls.
 */
export class PodInformer {
  private readonly listWatch: ListWatch<V1Pod>;
  private readonly waiters = new Map<string, Set<(pod: V1Pod | undefined) => void>>();
  private starting: Promise<void> | null = null;
  private synced = false;
  private closed = false;
  private restartDelayMs = 0;
  private lastError: unknown = null;

  constructor(
    api: KubernetesPodApi,
    labelSelector: string,
    private readonly hooks: PodInformerHooks,
    private readonly clock: Clock,
    private readonly logger: RuntimeLogger,
  ) {
    const listFn = async (): Promise<{ metadata?: { resourceVersion?: string }; items: V1Pod[] }> => {
      const list = await api.listPods(labelSelector);
      this.synced = true;
      this.restartDelayMs = 0;
      return list;
    };
    const watch = { watch: api.watch } as unknown as Watch;
    this.listWatch = new ListWatch<V1Pod>(api.podsPath, watch, listFn, false, labelSelector);
    this.listWatch.on('add', (pod) => this.changed(pod, false));
    this.listWatch.on('update', (pod) => this.changed(pod, false));
    this.listWatch.on('delete', (pod) => this.changed(pod, true));
    this.listWatch.on('error', (err) => this.failed(err));
  }

  /** Lists and starts watching once; later calls wait for the same start. Rejects when the list fails. */
  start(): Promise<void> {
    this.starting ??= this.firstSync().catch((err: unknown) => {
      this.starting = null;
      throw err;
    });
    return this.starting;
  }

  get(name: string): V1Pod | undefined {
    return this.listWatch.get(name, undefined) ?? this.listWatch.list().find((p) => p.metadata?.name === name);
  }

  list(): readonly V1Pod[] {
    return this.listWatch.list();
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
      const set = this.waiters.get(name) ?? new Set();
      this.waiters.set(name, set.add(check));
      const cached = this.get(name);
      if (cached) check(cached);
    });
  }

  /** The resourceVersion the next watch resumes from. */
  resourceVersion(): string {
    return this.listWatch.latestResourceVersion();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.listWatch.stop();
  }

  private async firstSync(): Promise<void> {
    this.lastError = null;
    await this.listWatch.start();
    if (!this.synced) throw fromApiError(this.lastError, 'listing sandbox pods');
  }

  private changed(pod: V1Pod, deleted: boolean): void {
    if (deleted) this.hooks.onDelete(pod);
    else this.hooks.onUpdate(pod);
    const name = pod.metadata?.name ?? '';
    for (const check of [...(this.waiters.get(name) ?? [])]) check(deleted ? undefined : pod);
  }

  /** ListWatch stops on any error but 410/timeouts; restart it from the last resourceVersion. */
  private failed(err: unknown): void {
    this.lastError = err;
    if (this.closed || !this.synced) return;
    this.restartDelayMs = Math.min(RESTART_BACKOFF.maxMs, this.restartDelayMs > 0 ? this.restartDelayMs * 2 : RESTART_BACKOFF.initialMs);
    this.logger.warn({ err: String(err), retryInMs: this.restartDelayMs }, 'pod watch failed; restarting');
    void this.clock
      .sleep(this.restartDelayMs)
      .then(() => (this.closed ? undefined : this.listWatch.start()))
      .catch(() => undefined);
  }
}
