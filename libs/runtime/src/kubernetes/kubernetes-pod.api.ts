import { ApiException, CoreV1Api, KubeConfig, Watch, type V1Pod, type V1PodList, type V1Secret } from '@kubernetes/client-node';
import { RuntimeError } from '../runtime.errors';
import type { KubernetesAuth } from './kubernetes.options';
import type { TokenBucket } from './token-bucket';

/** Builds a KubeConfig for the chosen authentication mode. */
export function loadKubeConfig(auth: KubernetesAuth): KubeConfig {
  const kc = new KubeConfig();
  if (auth.mode === 'in-cluster') kc.loadFromCluster();
  else if (auth.mode === 'kubeconfig') {
    kc.loadFromFile(auth.path);
    if (auth.context) kc.setCurrentContext(auth.context);
  } else kc.loadFromDefault();
  if (!kc.getCurrentCluster()) throw new RuntimeError('INVALID_SPEC', `kubernetes auth (${auth.mode}): no current cluster in the configuration`);
  return kc;
}

/** The shape of `Watch.watch` that ListWatch calls. */
type WatchFn = Watch['watch'];

/** HTTP status of an API error, or null for transport failures. */
export function apiStatus(err: unknown): number | null {
  return err instanceof ApiException ? err.code : null;
}

/** Maps an API-server failure to a {@link RuntimeError}: 5xx/429/transport are transient. */
export function fromApiError(err: unknown, what: string): RuntimeError {
  const status = apiStatus(err);
  const detail = statusMessage(err);
  if (status === null) return new RuntimeError('RUNTIME_UNAVAILABLE', `${what}: API server unreachable: ${detail}`, { transient: true, cause: err });
  if (status === 409) return new RuntimeError('CONFLICT', `${what}: ${detail}`, { cause: err });
  if (status === 422 || status === 400) return new RuntimeError('INVALID_SPEC', `${what}: ${detail}`, { cause: err });
  if (status === 404) return new RuntimeError('NOT_FOUND', `${what}: ${detail}`, { cause: err });
  const transient = status >= 500 || status === 429;
  return new RuntimeError(transient ? 'RUNTIME_UNAVAILABLE' : 'RUNTIME_ERROR', `${what}: API server answered ${status}: ${detail}`, { transient, cause: err });
}

function statusMessage(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = err.body;
    if (typeof body === 'string') {
      try {
        const parsed = JSON.parse(body) as { message?: unknown };
        if (typeof parsed.message === 'string') return parsed.message;
      } catch {
        return body.slice(0, 300);
      }
    }
    if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * The driver's only door to the API server (the "repository" around @kubernetes/client-node):
 * namespaced pod and secret calls plus the pod watch, each behind the client-side rate limit.
 */
export class KubernetesPodApi {
  private readonly core: CoreV1Api;
  private readonly watcher: Watch;

  constructor(
    readonly kubeConfig: KubeConfig,
    readonly namespace: string,
    private readonly bucket: TokenBucket,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.watcher = new Watch(kubeConfig);
  }

  /** Path ListWatch watches (`/api/v1/namespaces/<ns>/pods`). */
  get podsPath(): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods`;
  }

  async createPod(pod: V1Pod): Promise<V1Pod> {
    await this.bucket.take();
    return this.core.createNamespacedPod({ namespace: this.namespace, body: pod });
  }

  /** Deletes immediately (grace 0); false when the pod was already gone. */
  async deletePod(name: string): Promise<boolean> {
    await this.bucket.take();
    return this.ignoreNotFound(() => this.core.deleteNamespacedPod({ name, namespace: this.namespace, gracePeriodSeconds: 0 }));
  }

  async listPods(labelSelector: string): Promise<V1PodList> {
    await this.bucket.take();
    return this.core.listNamespacedPod({ namespace: this.namespace, labelSelector });
  }

  async createSecret(secret: V1Secret): Promise<void> {
    await this.bucket.take();
    await this.core.createNamespacedSecret({ namespace: this.namespace, body: secret });
  }

  async deleteSecret(name: string): Promise<boolean> {
    await this.bucket.take();
    return this.ignoreNotFound(() => this.core.deleteNamespacedSecret({ name, namespace: this.namespace, gracePeriodSeconds: 0 }));
  }

  /** `Watch.watch` behind the rate limit, with watch bookmarks requested. */
  readonly watch: WatchFn = async (path, queryParams, callback, done) => {
    await this.bucket.take();
    return this.watcher.watch(path, { ...queryParams, allowWatchBookmarks: true }, callback, done);
  };

  private async ignoreNotFound(call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (err) {
      if (apiStatus(err) === 404) return false;
      throw err;
    }
  }
}
