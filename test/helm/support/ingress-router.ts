import type { K8sObject } from './chart';

interface IngressPath {
  path: string;
  pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  backend: { service: { name: string; port: { number?: number; name?: string } } };
}

interface IngressSpec {
  rules?: { host?: string; http?: { paths: IngressPath[] } }[];
  defaultBackend?: IngressPath['backend'];
}

/**
 * Kubernetes Ingress path matching (networking.k8s.io/v1): `Exact` matches the URL path exactly
 * (case-sensitive); `Prefix` matches element-wise on "/"-separated path elements, ignoring a
 * trailing slash ("/foo" matches "/foo", "/foo/" and "/foo/bar", not "/foobar"); when several
 * paths match, the longest wins and Exact beats Prefix at equal length. Returns the backend
 * service name, or null when nothing matches.
 */
export function routeIngress(ingress: K8sObject, host: string | undefined, urlPath: string): string | null {
  const spec = ingress.spec as IngressSpec;
  const rule = (spec.rules ?? []).find((r) => !r.host || r.host === host);
  const candidates = (rule?.http?.paths ?? []).filter((p) => pathMatches(p, urlPath));
  candidates.sort((a, b) => b.path.length - a.path.length || rank(a) - rank(b));
  return candidates[0]?.backend.service.name ?? spec.defaultBackend?.service.name ?? null;
}

function pathMatches(entry: IngressPath, urlPath: string): boolean {
  if (entry.pathType === 'Exact') return entry.path === urlPath;
  if (entry.pathType !== 'Prefix') throw new Error(`pathType ${entry.pathType} has no portable meaning`);
  const prefix = elements(entry.path);
  const request = elements(urlPath);
  return prefix.length <= request.length && prefix.every((element, i) => element === request[i]);
}

function elements(path: string): string[] {
  return path.split('/').filter((element) => element !== '');
}

function rank(entry: IngressPath): number {
  return entry.pathType === 'Exact' ? 0 : 1;
}
