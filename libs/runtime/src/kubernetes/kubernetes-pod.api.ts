import type { CoreV1Api, KubeConfig, Middleware, RequestContext, ResponseContext, V1Pod, V1PodList, V1Secret, Watch } from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';
import { RuntimeError } from '../runtime.errors';
import { clientNode } from './kube-config';
import type { TokenBucket } from './token-bucket';

/** A non-2xx answer of the API server, with its `Status` reason. */
export class KubernetesApiError extends Error {
  override readonly name = 'KubernetesApiError';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** One watch event (`BOOKMARK` carries only `metadata.resourceVersion`; `ERROR` carries a Status). */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: V1Pod & { code?: number; reason?: string; message?: string };
}

/** HTTP status of an API error, or null for transport failures. */
export function apiStatus(err: unknown): number | null {
  return err instanceof KubernetesApiError ? err.status : null;
}

/** Maps an API-server failure to a {@link RuntimeError}: 5xx/429/transport are transient. */
export function fromApiError(err: unknown, what: string): RuntimeError {
  const status = apiStatus(err);
  const detail = err instanceof Error ? err.message : String(err);
  if (status === null) return new RuntimeError('RUNTIME_UNAVAILABLE', `${what}: API server unreachable: ${detail}`, { transient: true, cause: err });
  if (status === 409) return new RuntimeError('CONFLICT', `${what}: ${detail}`, { cause: err });
  if (status === 422 || status === 400) return new RuntimeError('INVALID_SPEC', `${what}: ${detail}`, { cause: err });
  if (status === 404) return new RuntimeError('NOT_FOUND', `${what}: ${detail}`, { cause: err });
  const transient = status >= 500 || status === 429;
  return new RuntimeError(transient ? 'RUNTIME_UNAVAILABLE' : 'RUNTIME_ERROR', `${what}: API server answered ${status}: ${detail}`, { transient, cause: err });
}

/**
 * client-node's errors as {@link KubernetesApiError}: an `ApiException` (its body is the `Status`
 * JSON, or absent for the statuses the OpenAPI spec names, e.g. 401) or a watch's non-200 answer
 * (an Error with `statusCode`). Transport errors keep their type, with their cause in the message.
 */
export function toApiError(err: unknown): unknown {
  if (err instanceof clientNode().ApiException) {
    const status = statusBody(err.body);
    const fallback = /^Message: (.*)$/m.exec(err.message)?.[1] ?? `HTTP ${err.code}`;
    return new KubernetesApiError(err.code, status.reason ?? '', status.message ?? fallback);
  }
  const statusCode = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number') return new KubernetesApiError(statusCode, '', (err as Error).message);
  // undici's fetch says only "fetch failed"; the reason (ECONNREFUSED, a TLS error, ...) is its cause.
  // (Duck-typed: socket and TLS errors may come from another realm, e.g. under Jest.)
  const cause = messageOf((err as { cause?: unknown } | null)?.cause);
  if (err instanceof Error && cause) return new Error(`${err.message}: ${cause}`, { cause: err });
  return err;
}

function messageOf(value: unknown): string | null {
  const message = (value as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message ? message : null;
}

function statusBody(body: unknown): { reason?: string; message?: string } {
  if (typeof body !== 'string' || !body) return {};
  try {
    return JSON.parse(body) as { reason?: string; message?: string };
  } catch {
    return { message: body.slice(0, 300) };
  }
}

const REQUEST_TIMEOUT_MS = 30_000;
/** The server ends each watch cleanly after this long (the informer resumes it from its version). */
const WATCH_SERVER_TIMEOUT_S = 300;

/**
 * Every CoreV1Api request passes here after client-node applied the kubeconfig's credentials: it
 * waits for the client-side rate limit, gets a deadline, and reuses one connection pool (client-node
 * builds a fresh undici Agent for each request, which would mean a TCP+TLS handshake per call).
 */
class RequestGate implements Middleware {
  private shared: Dispatcher | undefined;

  constructor(private readonly bucket: TokenBucket) {}

  async pre(ctx: RequestContext): Promise<RequestContext> {
    await this.bucket.take();
    this.shared ??= ctx.getDispatcher();
    if (this.shared) ctx.setDispatcher(this.shared);
    ctx.setSignal(AbortSignal.timeout(REQUEST_TIMEOUT_MS));
    return ctx;
  }

  post(ctx: ResponseContext): Promise<ResponseContext> {
    return Promise.resolve(ctx);
  }

  async close(): Promise<void> {
    await this.shared?.close();
  }
}

/**
 * The driver's only door to the API server (the "repository" of the Kubernetes driver), built on
 * `@kubernetes/client-node`: namespaced pod and secret calls through `CoreV1Api` and the pod watch
 * through client-node's `Watch`, each behind the client-side rate limit.
 */
export class KubernetesPodApi {
  private readonly core: CoreV1Api;
  private readonly watcher: Watch;
  private readonly gate: RequestGate;

  constructor(
    kubeConfig: KubeConfig,
    readonly namespace: string,
    private readonly bucket: TokenBucket,
  ) {
    const k8s = clientNode();
    this.gate = new RequestGate(bucket);
    const server = kubeConfig.getCurrentCluster()?.server ?? '';
    const configuration = k8s.createConfiguration({
      baseServer: new k8s.ServerConfiguration(server, {}),
      authMethods: { default: kubeConfig },
      promiseMiddleware: [this.gate],
    });
    this.core = new k8s.CoreV1Api(configuration);
    this.watcher = new k8s.Watch(kubeConfig);
  }

  createPod(pod: V1Pod): Promise<V1Pod> {
    return this.call(() => this.core.createNamespacedPod({ namespace: this.namespace, body: pod }));
  }

  /** Deletes immediately (grace 0); false when the pod was already gone. */
  deletePod(name: string): Promise<boolean> {
    return this.ignoreNotFound(this.call(() => this.core.deleteNamespacedPod({ name, namespace: this.namespace, gracePeriodSeconds: 0 })));
  }

  listPods(labelSelector: string): Promise<V1PodList> {
    return this.call(() => this.core.listNamespacedPod({ namespace: this.namespace, labelSelector }));
  }

  async createSecret(secret: V1Secret): Promise<void> {
    await this.call(() => this.core.createNamespacedSecret({ namespace: this.namespace, body: secret }));
  }

  deleteSecret(name: string): Promise<boolean> {
    return this.ignoreNotFound(this.call(() => this.core.deleteNamespacedSecret({ name, namespace: this.namespace, gracePeriodSeconds: 0 })));
  }

  /**
   * Streams pod events from `resourceVersion` (bookmarks requested) until the server closes the
   * stream, the connection stays silent past client-node's idle limit, or `signal` aborts; rejects
   * with {@link KubernetesApiError} on a non-200 answer and with the transport error otherwise.
   */
  async watchPods(labelSelector: string, resourceVersion: string, onEvent: (e: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    await this.bucket.take();
    const path = `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods`;
    const query = { labelSelector, resourceVersion, allowWatchBookmarks: true, timeoutSeconds: WATCH_SERVER_TIMEOUT_S };
    await new Promise<void>((resolve, reject) => {
      let stream: AbortController | undefined;
      const onAbort = (): void => {
        stream?.abort();
        resolve();
      };
      const done = (err: unknown): void => {
        signal.removeEventListener('abort', onAbort);
        if (!err || signal.aborted || isIdleTimeout(err)) resolve();
        else reject(toApiError(err));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const events = (type: string, object: unknown): void => onEvent({ type, object } as WatchEvent);
      this.watcher.watch(path, query, events, done).then((controller) => {
        stream = controller;
        if (signal.aborted) controller.abort();
      }, done);
    });
  }

  async close(): Promise<void> {
    await this.gate.close();
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      throw toApiError(err);
    }
  }

  private async ignoreNotFound(call: Promise<unknown>): Promise<boolean> {
    try {
      await call;
      return true;
    } catch (err) {
      if (apiStatus(err) === 404) return false;
      throw err;
    }
  }
}

/** client-node ends a watch silent for 30 s with a TimeoutError: a clean end, resumed at once. */
function isIdleTimeout(err: unknown): boolean {
  return (err as { name?: unknown } | null)?.name === 'TimeoutError';
}
