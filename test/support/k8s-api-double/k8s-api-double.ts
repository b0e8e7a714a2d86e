/**
 * TEST-ONLY Kubernetes API server double. Product code never imports it.
 *
 * A node:https server speaking the real core/v1 REST + watch protocol for the objects the
 * Kubernetes runtime driver uses: pods (create, get, list with labelSelector, watch with
 * resourceVersion + bookmarks, delete with gracePeriodSeconds) and secrets (create, get, delete).
 * Errors are `Status` objects with the API server's codes (401/404/409/410/422). Pods run as
 * Docker containers through {@link DoubleKubelet}. Tests can drop every open watch (to test resume),
 * compact the event history (to force 410 Gone), delete a pod behind the driver's back, and read
 * the request log (to count API calls).
 *
 * TLS: the driver talks to it through @kubernetes/client-node, which refuses plain HTTP unless the
 * kubeconfig says `insecure-skip-tls-verify: true`. Rather than switch verification off, the
 * double serves HTTPS with a self-signed certificate made at start (openssl, see
 * self-signed-cert.ts), and {@link K8sApiDouble.writeKubeconfig} puts that certificate in
 * `certificate-authority-data`: the driver verifies the server exactly as it would a real cluster.
 */
import type { V1Pod, V1Secret } from '@kubernetes/client-node';
import type Docker from 'dockerode';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, fetch } from 'undici';
import { DoubleKubelet } from './double-kubelet';
import { compileSelector } from './label-selector';
import { podIssues, status, type StatusBody } from './k8s-status';
import { selfSignedCert, type SelfSignedCert } from './self-signed-cert';

export interface K8sApiDoubleOptions {
  docker: Docker;
  /** Bind-mount this bundle at emptyDir mounts instead of running init containers. */
  bundleDir?: string;
  /** Readiness probe period of the emulated kubelet (default 100 ms). */
  probeIntervalMs?: number;
  /** How often open watches that asked for bookmarks get one (default 2000 ms). */
  bookmarkIntervalMs?: number;
}

/** One request the double answered. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

interface WatchEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  namespace: string;
  object: V1Pod;
}

interface Watcher {
  namespace: string;
  matches: (labels: Record<string, string> | undefined) => boolean;
  res: ServerResponse;
}

const clone = <T>(value: T): T => structuredClone(value);

export class K8sApiDouble {
  readonly id = randomBytes(4).toString('hex');
  readonly token = randomBytes(12).toString('hex');
  readonly requests: LoggedRequest[] = [];
  private readonly server: Server;
  private readonly pods = new Map<string, V1Pod>();
  private readonly secrets = new Map<string, V1Secret>();
  private readonly kubelets = new Map<string, DoubleKubelet>();
  private readonly stopping = new Set<Promise<void>>();
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private rv = 1;
  private expiredBelow = 0;

  private readonly client: Agent;

  private constructor(
    private readonly options: K8sApiDoubleOptions,
    private readonly tls: SelfSignedCert,
  ) {
    this.server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => this.handle(req, res));
    this.client = new Agent({ connect: { ca: tls.cert } });
  }

  /** Starts the double on 127.0.0.1 with an OS-assigned port, serving HTTPS with a fresh certificate. */
  static async start(options: K8sApiDoubleOptions): Promise<K8sApiDouble> {
    const double = new K8sApiDouble(options, await selfSignedCert());
    await new Promise<void>((resolve) => double.server.listen(0, '127.0.0.1', resolve));
    return double;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** PEM certificate the double serves (its own CA). */
  get ca(): string {
    return this.tls.cert;
  }

  /** Writes a kubeconfig pointing at the double (its CA, bearer token auth) and returns its path. */
  writeKubeconfig(path: string): string {
    const ca = Buffer.from(this.tls.cert).toString('base64');
    const yaml = [
      'apiVersion: v1', 'kind: Config', 'current-context: double',
      `clusters:\n- name: double\n  cluster:\n    server: ${this.url}\n    certificate-authority-data: ${ca}`,
      `users:\n- name: double\n  user:\n    token: ${this.token}`,
      'contexts:\n- name: double\n  context:\n    cluster: double\n    user: double',
    ].join('\n');
    writeFileSync(path, `${yaml}\n`);
    return path;
  }

  /** GET `path` with the double's token over verified TLS, as kubectl would; the parsed JSON body. */
  async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.url}${path}`, { headers: { authorization: `Bearer ${this.token}` }, dispatcher: this.client, signal: AbortSignal.timeout(5000) });
    return (await res.json()) as T;
  }

  /** Ends every open watch stream (clients should resume from their last resourceVersion). */
  dropWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  /** Forgets the event history: watches from any older resourceVersion now get 410 Gone. */
  compact(): void {
    this.rv += 1;
    this.expiredBelow = this.rv;
    this.history.length = 0;
  }

  /** Deletes a pod as another actor would (kubectl delete), bypassing the request log. */
  deletePodBehindTheBack(namespace: string, name: string): boolean {
    return this.removePod(`${namespace}/${name}`) !== null;
  }

  /** Pod as stored, for assertions. */
  pod(namespace: string, name: string): V1Pod | undefined {
    const pod = this.pods.get(`${namespace}/${name}`);
    return pod ? clone(pod) : undefined;
  }

  secret(namespace: string, name: string): V1Secret | undefined {
    return this.secrets.get(`${namespace}/${name}`);
  }

  /** Stops serving, ends watches, removes every container and volume the double created. */
  async close(): Promise<void> {
    this.dropWatches();
    for (const key of [...this.pods.keys()]) this.removePod(key);
    await Promise.all([...this.stopping]);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await this.client.close();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://double');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query });
    if (req.headers.authorization !== `Bearer ${this.token}`) return this.send(res, status(401, 'Unauthorized', 'Unauthorized'));
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/(pods|secrets)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) return this.send(res, status(404, 'NotFound', 'the server could not find the requested resource'));
    const [, ns = '', kind = '', name] = m;
    void this.readBody(req)
      .then((body) => this.route(req.method ?? 'GET', ns, kind, name, query, body, res))
      .catch((err: unknown) => this.send(res, status(500, 'InternalError', String(err))));
  }

  private route(method: string, ns: string, kind: string, name: string | undefined, query: Record<string, string>, body: unknown, res: ServerResponse): void {
    if (kind === 'secrets') return this.routeSecret(method, ns, name, body, res);
    if (method === 'POST' && !name) return this.createPod(ns, body as V1Pod, res);
    if (method === 'GET' && !name && query.watch === 'true') return this.watch(ns, query, res);
    if (method === 'GET' && !name) return this.listPods(ns, query, res);
    const key = `${ns}/${name}`;
    if (method === 'GET') return this.sendObject(res, 200, this.pods.get(key), 'pods', name);
    if (method === 'DELETE') return this.sendObject(res, 200, this.removePod(key) ?? undefined, 'pods', name);
    this.send(res, status(405, 'MethodNotAllowed', `method ${method} is not supported by the double`));
  }

  private createPod(ns: string, pod: V1Pod, res: ServerResponse): void {
    const issues = podIssues(pod);
    const name = pod?.metadata?.name ?? '';
    if (issues.length > 0) return this.send(res, status(422, 'Invalid', `Pod "${name}" is invalid: ${issues.join(', ')}`, { name, kind: 'pods' }));
    const key = `${ns}/${name}`;
    if (this.pods.has(key)) return this.send(res, status(409, 'AlreadyExists', `pods "${name}" already exists`, { name, kind: 'pods' }));
    const stored: V1Pod = { ...clone(pod), apiVersion: 'v1', kind: 'Pod' };
    stored.metadata = { ...stored.metadata, namespace: ns, uid: randomUUID(), creationTimestamp: new Date().toISOString() as unknown as Date };
    stored.status = { phase: 'Pending' };
    this.pods.set(key, stored);
    this.publish('ADDED', ns, stored);
    this.sendObject(res, 201, stored, 'pods', name);
    const kubelet = new DoubleKubelet({ docker: this.options.docker, doubleId: this.id, probeIntervalMs: this.options.probeIntervalMs ?? 100, bundleDir: this.options.bundleDir, update: (mutate) => this.mutatePod(key, mutate) }, clone(stored));
    this.kubelets.set(key, kubelet);
    void kubelet.run();
  }

  private mutatePod(key: string, mutate: (pod: V1Pod) => void): boolean {
    const pod = this.pods.get(key);
    if (!pod) return false;
    mutate(pod);
    this.publish('MODIFIED', pod.metadata?.namespace ?? '', pod);
    return true;
  }

  private removePod(key: string): V1Pod | null {
    const pod = this.pods.get(key);
    if (!pod) return null;
    this.pods.delete(key);
    this.publish('DELETED', pod.metadata?.namespace ?? '', pod);
    const kubelet = this.kubelets.get(key);
    this.kubelets.delete(key);
    if (kubelet) {
      const stop = kubelet.stop().finally(() => this.stopping.delete(stop));
      this.stopping.add(stop);
    }
    return clone(pod);
  }

  private listPods(ns: string, query: Record<string, string>, res: ServerResponse): void {
    let matches: ReturnType<typeof compileSelector>;
    try {
      matches = compileSelector(query.labelSelector);
    } catch (err) {
      return this.send(res, status(400, 'BadRequest', `labelSelector: ${(err as Error).message}`));
    }
    const items = [...this.pods.values()].filter((p) => p.metadata?.namespace === ns && matches(p.metadata?.labels)).map(clone);
    this.sendJson(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) }, items });
  }

  private watch(ns: string, query: Record<string, string>, res: ServerResponse): void {
    let matches: ReturnType<typeof compileSelector>;
    try {
      matches = compileSelector(query.labelSelector);
    } catch (err) {
      return this.send(res, status(400, 'BadRequest', `labelSelector: ${(err as Error).message}`));
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    const from = query.resourceVersion ? Number(query.resourceVersion) : 0;
    if (from > 0 && from < this.expiredBelow) {
      res.end(`${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${from} (${this.expiredBelow})`) })}\n`);
      return;
    }
    const watcher: Watcher = { namespace: ns, matches, res };
    if (from === 0) {
      for (const pod of this.pods.values()) if (pod.metadata?.namespace === ns && matches(pod.metadata.labels)) this.write(watcher, 'ADDED', pod);
    } else {
      for (const e of this.history) if (e.rv > from && e.namespace === ns && matches(e.object.metadata?.labels)) this.write(watcher, e.type, e.object);
    }
    this.watchers.add(watcher);
    const bookmarks = query.allowWatchBookmarks === 'true' ? setInterval(() => this.bookmark(watcher), this.options.bookmarkIntervalMs ?? 2000) : null;
    res.on('close', () => {
      if (bookmarks) clearInterval(bookmarks);
      this.watchers.delete(watcher);
    });
  }

  private bookmark(w: Watcher): void {
    // A dropped watch ends its response before 'close' clears this timer (later still over TLS).
    if (w.res.writableEnded) return;
    w.res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) } } })}\n`);
  }

  private publish(type: WatchEvent['type'], namespace: string, pod: V1Pod): void {
    this.rv += 1;
    pod.metadata = { ...pod.metadata, resourceVersion: String(this.rv) };
    const event: WatchEvent = { rv: this.rv, type, namespace, object: clone(pod) };
    this.history.push(event);
    for (const w of this.watchers) if (w.namespace === namespace && w.matches(pod.metadata.labels)) this.write(w, type, event.object);
  }

  private write(w: Watcher, type: string, object: V1Pod): void {
    w.res.write(`${JSON.stringify({ type, object })}\n`);
  }

  private routeSecret(method: string, ns: string, name: string | undefined, body: unknown, res: ServerResponse): void {
    const secret = body as V1Secret;
    if (method === 'POST' && !name) {
      const secretName = secret?.metadata?.name ?? '';
      if (!secretName) return this.send(res, status(422, 'Invalid', 'Secret "" is invalid: metadata.name: Required value'));
      if (this.secrets.has(`${ns}/${secretName}`)) return this.send(res, status(409, 'AlreadyExists', `secrets "${secretName}" already exists`));
      const stored = { ...clone(secret), metadata: { ...secret.metadata, namespace: ns, uid: randomUUID() } };
      this.secrets.set(`${ns}/${secretName}`, stored);
      return this.sendJson(res, 201, stored);
    }
    const key = `${ns}/${name}`;
    const found = this.secrets.get(key);
    if (method === 'DELETE') this.secrets.delete(key);
    this.sendObject(res, 200, found, 'secrets', name);
  }

  private sendObject(res: ServerResponse, code: number, object: object | undefined, kind: string, name: string | undefined): void {
    if (!object) return this.send(res, status(404, 'NotFound', `${kind} "${name}" not found`, { name, kind }));
    this.sendJson(res, code, object);
  }

  private send(res: ServerResponse, body: StatusBody): void {
    this.sendJson(res, body.code, body);
  }

  private sendJson(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async readBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? (JSON.parse(text) as unknown) : undefined;
  }
}
