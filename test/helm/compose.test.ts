import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from '@rock/config';
import { REPO_DIR } from './support/k8s-tools';

// deploy/compose.yaml and its gateway, read as data (no `docker compose` binary on this machine):
// Redis settings, the services' environment through their own loadConfig, network isolation,
// and the gateway's path split evaluated with nginx location semantics.

interface ComposeService {
  image: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  networks?: string[];
  group_add?: string[];
}
interface ComposeFile { services: Record<string, ComposeService>; networks: Record<string, { name?: string }> }

const DEPLOY = join(REPO_DIR, 'deploy');
const compose = resolveMerges(load(readFileSync(join(DEPLOY, 'compose.yaml'), 'utf8'))) as ComposeFile;

/** YAML merge keys (`<<: *anchor`) as compose applies them: the node's own keys win. */
function resolveMerges(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(resolveMerges);
  if (typeof node !== 'object' || node === null) return node;
  const { '<<': merged, ...own } = node as Record<string, unknown>;
  const bases = (Array.isArray(merged) ? merged : merged ? [merged] : []) as Record<string, unknown>[];
  const out: Record<string, unknown> = {};
  for (const base of bases) Object.assign(out, resolveMerges(base));
  for (const [key, value] of Object.entries(own)) out[key] = resolveMerges(value);
  return out;
}

/** `${VAR:-default}` / `${VAR:?message}` substitution as docker compose does it. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op: string | undefined, arg: string | undefined) => {
    if (vars[name]) return vars[name];
    if (op === '?') throw new Error(`${name}: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

/** nginx: exact `=` locations first, then the longest `^~`/plain prefix. Returns the upstream. */
function routeNginx(conf: string, path: string): string | null {
  const locations = [...conf.matchAll(/location\s+(=|\^~)?\s*(\S+)\s*\{\s*proxy_pass\s+http:\/\/(\w+);/g)].map((m) => ({ op: m[1] ?? '', path: m[2], upstream: m[3] }));
  const exact = locations.find((l) => l.op === '=' && l.path === path);
  if (exact) return exact.upstream;
  const prefixes = locations.filter((l) => l.op !== '=' && path.startsWith(l.path)).sort((a, b) => b.path.length - a.path.length);
  return prefixes[0]?.upstream ?? null;
}

test('Redis keeps every key: AOF on, noeviction, data on a volume, only on the control network', () => {
  const redis = compose.services.redis;
  expect(redis.command?.join(' ')).toContain('--appendonly yes');
  expect(redis.command?.join(' ')).toContain('--maxmemory-policy noeviction');
  expect(redis.volumes).toEqual(['redis-data:/data']);
  expect(redis.networks).toEqual(['control']);
  expect(compose.networks.sandboxes.name).toBe('rock-sandboxes');
});

test.each(['write', 'read'] as const)('%s: environment passes loadConfig; Docker runtime on the sandboxes network', (mode) => {
  const service = compose.services[mode];
  const vars = { ROCK_API_KEYS: 'compose-test-key-0123:admin' };
  const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), vars)]));
  const config = loadConfig(env);
  expect(config.mode).toBe(mode);
  expect(config.runtime.kind).toBe('docker');
  expect(env.ROCK_DOCKER_NETWORK).toBe(compose.networks.sandboxes.name);
  expect(service.command).toEqual(['node', `dist/services/${mode}/src/main.js`]);
  expect(service.networks).toEqual(['control', 'sandboxes']);
  expect(() => interpolate(String(service.environment?.ROCK_API_KEYS), {})).toThrow('ROCK_API_KEYS: set ROCK_API_KEYS');
});

test('only write holds the Docker socket; it sees the bundle at the host path it gives the daemon', () => {
  const write = compose.services.write;
  const bundle = interpolate(String(write.environment?.ROCK_ROCKLET_BUNDLE_DIR), {});
  expect(write.volumes?.map((v) => interpolate(v, {}))).toEqual(['/var/run/docker.sock:/var/run/docker.sock', `${bundle}:${bundle}:ro`]);
  expect(compose.services.read.volumes).toBeUndefined();
  const installer = compose.services['rocklet-bundle'];
  expect(installer.command?.map((c) => interpolate(c, {}))).toEqual([bundle]);
  expect(installer.volumes?.map((v) => interpolate(v, {}))).toEqual([`${bundle}:${bundle}`]);
});

test('the gateway sends lifecycle paths to write and everything else to read', () => {
  const conf = readFileSync(join(DEPLOY, 'gateway', 'nginx.conf'), 'utf8');
  const write = ['start', 'start_async', 'stop', 'delete', 'restart', 'commit', 'warmup/tasks'].map((p) => `/apis/envs/sandbox/v1/${p}`);
  for (const path of [...write, '/apis/v1/envs/gem/make', '/apis/v1/envs/gem/close']) expect({ path, to: routeNginx(conf, path) }).toEqual({ path, to: 'rock_write' });
  const read = ['execute', 'get_status', 'sandboxes', 'upload', 'start_asyncx', 'stop/x'].map((p) => `/apis/envs/sandbox/v1/${p}`);
  for (const path of [...read, '/apis/v1/envs/gem/step', '/apis/v1/envs/gem/reset', '/healthz', '/']) expect({ path, to: routeNginx(conf, path) }).toEqual({ path, to: 'rock_read' });
});
