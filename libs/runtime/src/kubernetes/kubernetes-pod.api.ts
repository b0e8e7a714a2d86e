import type { V1Pod, V1PodList, V1Secret } from '@kubernetes/client-node';
import { createInterface } from 'node:readline';
import { Agent, request, type Dispatcher } from 'undici';
import { RuntimeError } from '../runtime.errors';
import type { ApiServerAccess } from './kube-config';
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

const REQUEST_TIMEOUT_MS = 30_000;
/** The server ends each watch cleanly after this long (the informer resumes it from its version). */
const WATCH_SERVER_TIMEOUT_S = 300;
/** A watch silent for longer than this is a dead connection (bookmarks keep live ones talking). */
const WATCH_IDLE_LIMIT_MS = (WATCH_SERVER_TIMEOUT_S + 30) * 1000;

/**
 * The driver's only door to the API server (the "repository" of the Kubernetes driver): namespaced
 * pod and secret calls plus the pod watch over keep-alive HTTP (undici), each behind the client-side
 * rate limit. Wire shapes are the official `@kubernetes/client-node` types (types only).
 */
export class KubernetesPodApi {
  private readonly agent: Dispatcher;

  constructor(
    private readonly access: ApiServerAccess,
    readonly namespace: string,
    private readonly bucket: TokenBucket,
  ) {
    const { ca, cert, key, rejectUnauthorized } = access;
    this.agent = new Agent({ connect: { ca, cert, key, rejectUnauthorized }, keepAliveTimeout: 30_000 });
  }

  private get podsPath(): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods`;
  }

  private get secretsPath(): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/secrets`;
  }

  createPod(pod: V1Pod): Promise<V1Pod> {
    return this.call<V1Pod>('POST', this.podsPath, {}, pod);
  }

  /** Deletes immediately (grace 0); false when the pod was already gone. */
  deletePod(name: string): Promise<boolean> {
    return this.ignoreNotFound(this.call('DELETE', `${this.podsPath}/${encodeURIComponent(name)}`, { gracePeriodSeconds: '0' }));
  }

  listPods(labelSelector: string): Promise<V1PodList> {
    return this.call<V1PodList>('GET', this.podsPath, { labelSelector });
  }

  async createSecret(secret: V1Secret): Promise<void> {
    await this.call('POST', this.secretsPath, {}, secret);
  }

  deleteSecret(name: string): Promise<boolean> {
    return this.ignoreNotFound(this.call('DELETE', `${this.secretsPath}/${encodeURIComponent(name)}`, { gracePeriodSeconds: '0' }));
  }

  /**
   * Streams pod events from `resourceVersion` (bookmarks requested) until the server closes the
   * stream or `signal` aborts; rejects with {@link KubernetesApiError} on a non-200 answer.
   */
  async watchPods(labelSelector: string, resourceVersion: string, onEvent: (e: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    await this.bucket.take();
    const query = { watch: 'true', labelSelector, resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(WATCH_SERVER_TIMEOUT_S) };
    const res = await request(this.url(this.podsPath, query), {
      method: 'GET',
      headers: this.headers(),
      dispatcher: this.agent,
      signal,
      bodyTimeout: WATCH_IDLE_LIMIT_MS,
    });
    if (res.statusCode !== 200) throw await this.errorOf(res);
    const lines = createInterface({ input: res.body, crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (line.trim()) onEvent(JSON.parse(line) as WatchEvent);
      }
    } finally {
      res.body.destroy();
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private url(path: string, query: Record<string, string>): string {
    const search = new URLSearchParams(query).toString();
    return `${this.access.server}${path}${search ? `?${search}` : ''}`;
  }

  private headers(): Record<string, string> {
    const token = this.access.token?.();
    return { accept: 'application/json', 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  }

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, query: Record<string, string>, body?: unknown): Promise<T> {
    await this.bucket.take();
    const res = await request(this.url(path, query), {
      method,
      headers: this.headers(),
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: this.agent,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (res.statusCode >= 300) throw await this.errorOf(res);
    return (await res.body.json()) as T;
  }

  private async errorOf(res: Dispatcher.ResponseData): Promise<KubernetesApiError> {
    const text = await res.body.text().catch(() => '');
    try {
      const status = JSON.parse(text) as { reason?: string; message?: string };
      return new KubernetesApiError(res.statusCode, status.reason ?? '', status.message ?? text);
    } catch {
      return new KubernetesApiError(res.statusCode, '', text.slice(0, 300) || `HTTP ${res.statusCode}`);
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
