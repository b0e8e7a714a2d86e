import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { RuntimeError } from '../runtime.errors';
import type { KubernetesAuth } from './kubernetes.options';

/** Where and how to reach one API server: what a kubeconfig context or a service account gives. */
export interface ApiServerAccess {
  /** `https://host:port` (or `http://` for local test servers). */
  server: string;
  /** Bearer token for each request (re-read for in-cluster tokens, which rotate). */
  token: (() => string) | null;
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  rejectUnauthorized: boolean;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN_REREAD_MS = 60_000;

/** The pod's service account: `https://kubernetes.default.svc`, its CA and its (rotating) token. */
export function inClusterAccess(dir = SA_DIR, server = 'https://kubernetes.default.svc'): ApiServerAccess {
  const tokenFile = `${dir}/token`;
  let cached = { value: '', readAt: 0 };
  const token = (): string => {
    if (Date.now() - cached.readAt > TOKEN_REREAD_MS) cached = { value: readFileSync(tokenFile, 'utf8').trim(), readAt: Date.now() };
    return cached.value;
  };
  token();
  return { server, token, ca: readFileSync(`${dir}/ca.crt`), rejectUnauthorized: true };
}

interface Named<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}
type Entry = Record<string, string | boolean | undefined>;

function pick(list: unknown, name: string | undefined, kind: string, file: string): Entry {
  const found = (Array.isArray(list) ? (list as Named<Entry>[]) : []).find((e) => e.name === name);
  const body = found?.cluster ?? found?.user ?? found?.context;
  if (!body) throw new RuntimeError('INVALID_SPEC', `kubeconfig ${file}: ${kind} "${name ?? ''}" not found`);
  return body;
}

function material(entry: Entry, key: string, baseDir: string): Buffer | undefined {
  const data = entry[`${key}-data`];
  if (typeof data === 'string') return Buffer.from(data, 'base64');
  const path = entry[key];
  if (typeof path === 'string') return readFileSync(path.startsWith('/') ? path : `${baseDir}/${path}`);
  return undefined;
}

/** A kubeconfig file's current (or named) context: server, CA, and token or client certificate. */
export function kubeconfigAccess(file: string, context?: string): ApiServerAccess {
  let doc: Record<string, unknown>;
  try {
    doc = (load(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new RuntimeError('INVALID_SPEC', `kubeconfig ${file}: cannot be read: ${(err as Error).message}`, { cause: err });
  }
  const baseDir = file.replace(/\/[^/]*$/, '') || '.';
  const ctx = pick(doc.contexts, context ?? (doc['current-context'] as string | undefined), 'context', file);
  const cluster = pick(doc.clusters, ctx.cluster as string | undefined, 'cluster', file);
  const user = ctx.user ? pick(doc.users, ctx.user as string, 'user', file) : {};
  if (typeof cluster.server !== 'string') throw new RuntimeError('INVALID_SPEC', `kubeconfig ${file}: cluster has no server`);
  const tokenText = typeof user.token === 'string' ? user.token : typeof user.tokenFile === 'string' ? readFileSync(user.tokenFile, 'utf8').trim() : null;
  return {
    server: cluster.server.replace(/\/$/, ''),
    token: tokenText ? () => tokenText : null,
    ca: material(cluster, 'certificate-authority', baseDir),
    cert: material(user, 'client-certificate', baseDir),
    key: material(user, 'client-key', baseDir),
    rejectUnauthorized: cluster['insecure-skip-tls-verify'] !== true,
  };
}

/** Access for the configured authentication mode. */
export function apiServerAccess(auth: KubernetesAuth): ApiServerAccess {
  return auth.mode === 'in-cluster' ? inClusterAccess() : kubeconfigAccess(auth.path, auth.context);
}
