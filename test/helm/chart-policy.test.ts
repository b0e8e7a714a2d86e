import { join } from 'node:path';
import { loadConfig, VARIABLES } from '@rock/config';
import { findObject, renderChart, type K8sObject } from './support/chart';
import { routeIngress } from './support/ingress-router';
import { CHART_DIR, ensureK8sTools, type K8sTools } from './support/k8s-tools';

// What the rendered chart means: which service each path reaches, who holds Kubernetes rights,
// who may reach sandbox pods, how Redis and the API keys are wired.
jest.setTimeout(300_000);

const RELEASE = 'ci';
const FULL = `${RELEASE}-rock`;
const NAMESPACE = 'rock-system';
const V1 = '/apis/envs/sandbox/v1';
const GEM = '/apis/v1/envs/gem';
const ciFile = (name: string): string => join(CHART_DIR, 'ci', `${name}-values.yaml`);

interface Container { name: string; args?: string[]; env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[] }
interface PodSpec { serviceAccountName?: string; automountServiceAccountToken?: boolean; containers: Container[] }
interface PodTemplate { metadata: { labels: Record<string, string> }; spec: PodSpec }
interface RbacRule { apiGroups: string[]; resources: string[]; verbs: string[] }
interface Subject { kind: string; name: string; namespace?: string }

const podTemplate = (o: K8sObject): PodTemplate => (o.spec as { template: PodTemplate }).template;
const envOf = (o: K8sObject): Map<string, Container['env'] extends (infer E)[] | undefined ? E : never> =>
  new Map((podTemplate(o).spec.containers[0].env ?? []).map((e) => [e.name, e]));
const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

let tools: K8sTools;
let objects: K8sObject[];

beforeAll(async () => {
  tools = await ensureK8sTools();
  objects = (await renderChart(tools.helm, { releaseName: RELEASE, namespace: NAMESPACE })).objects;
});

describe('Ingress: lifecycle paths to write, everything else to read', () => {
  const write = `${FULL}-write`;
  const read = `${FULL}-read`;
  const lifecycle = ['start', 'start_async', 'stop', 'delete', 'restart', 'commit', 'warmup/tasks'].map((p) => `${V1}/${p}`);
  const runtime = [
    'execute', 'get_status', 'is_alive', 'sandboxes', 'sandboxes/batch', 'get_sandbox_statistics', 'create_session',
    'run_in_session', 'close_session', 'read_file', 'write_file', 'upload', 'download', 'sandboxes/abc/proxy/port/8000/x',
    'sandboxes/abc/portforward', 'start_asyncx', 'stop/extra', 'startup',
  ].map((p) => `${V1}/${p}`);

  test.each([...lifecycle, `${GEM}/make`, `${GEM}/close`])('%s reaches write', (path) => {
    expect(routeIngress(findObject(objects, 'Ingress', 'rock'), undefined, path)).toBe(write);
  });

  test.each([...runtime, `${GEM}/reset`, `${GEM}/step`, `${GEM}/list`, `${GEM}/makeover`, '/healthz', '/metrics', '/docs', '/sandboxes'])(
    '%s reaches read',
    (path) => {
      expect(routeIngress(findObject(objects, 'Ingress', 'rock'), undefined, path)).toBe(read);
    },
  );

  test('with ingress.e2b.enabled the E2B /sandboxes tree goes to write; /v2/sandboxes listing stays on read', async () => {
    const e2b = (await renderChart(tools.helm, { releaseName: RELEASE, set: { 'ingress.e2b.enabled': 'true' } })).objects;
    const ingress = findObject(e2b, 'Ingress', 'rock');
    for (const path of ['/sandboxes', '/sandboxes/abc123']) expect(routeIngress(ingress, undefined, path)).toBe(write);
    for (const path of ['/v2/sandboxes', `${V1}/sandboxes`, `${V1}/execute`]) expect(routeIngress(ingress, undefined, path)).toBe(read);
    expect(routeIngress(ingress, undefined, `${V1}/start`)).toBe(write);
  });

  test('host and TLS come from values; no-ingress renders none', async () => {
    const tls = (await renderChart(tools.helm, { valuesFiles: [ciFile('external-redis')] })).objects;
    const spec = findObject(tls, 'Ingress', 'rock').spec as { tls: { hosts: string[]; secretName: string }[]; rules: { host: string }[] };
    expect(spec.tls).toEqual([{ hosts: ['rock.example.com'], secretName: 'rock-example-tls' }]);
    expect(spec.rules[0].host).toBe('rock.example.com');
    expect(routeIngress(findObject(tls, 'Ingress', 'rock'), 'other.example.com', `${V1}/start`)).toBeNull();
    const none = (await renderChart(tools.helm, { valuesFiles: [ciFile('no-ingress')] })).objects;
    expect(none.filter((o) => o.kind === 'Ingress')).toEqual([]);
  });
});

describe('RBAC: only the write service account can manage pods', () => {
  const bindingsOf = (all: K8sObject[], account: string): K8sObject[] =>
    all.filter((o) => /RoleBinding$/.test(o.kind) && (o.subjects as Subject[]).some((s) => s.kind === 'ServiceAccount' && s.name === account));

  test('write SA is bound to a Role in the sandbox namespace with exactly the pod verbs', () => {
    const bindings = bindingsOf(objects, `${FULL}-write`);
    expect(bindings).toHaveLength(1);
    const roleName = (bindings[0].roleRef as { kind: string; name: string }).name;
    const role = findObject(objects, 'Role', roleName);
    expect(role.metadata.namespace).toBe(NAMESPACE);
    expect(role.rules as RbacRule[]).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'delete'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get', 'list'] },
    ]);
    expect(objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    expect(podTemplate(findObject(objects, 'Deployment', '-write')).spec.serviceAccountName).toBe(`${FULL}-write`);
  });

  test('read SA has no binding and its pods mount no token', () => {
    expect(bindingsOf(objects, `${FULL}-read`)).toEqual([]);
    const readSa = findObject(objects, 'ServiceAccount', '-read');
    expect(readSa.automountServiceAccountToken).toBe(false);
    const spec = podTemplate(findObject(objects, 'Deployment', '-read')).spec;
    expect(spec.serviceAccountName).toBe(`${FULL}-read`);
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  test('sandbox.namespace moves the Role, the NetworkPolicy and ROCK_K8S_NAMESPACE together', async () => {
    const gvisor = (await renderChart(tools.helm, { releaseName: RELEASE, namespace: NAMESPACE, valuesFiles: [ciFile('gvisor')] })).objects;
    expect(findObject(gvisor, 'Role', 'sandbox-manager').metadata.namespace).toBe('rock-sandboxes');
    const binding = findObject(gvisor, 'RoleBinding', 'sandbox-manager');
    expect(binding.metadata.namespace).toBe('rock-sandboxes');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: `${FULL}-write`, namespace: NAMESPACE }]);
    expect(findObject(gvisor, 'NetworkPolicy', 'sandboxes').metadata.namespace).toBe('rock-sandboxes');
    expect(findObject(gvisor, 'Namespace', 'rock-sandboxes')).toBeDefined();
    const env = envOf(findObject(gvisor, 'Deployment', '-write'));
    expect(env.get('ROCK_K8S_NAMESPACE')?.value).toBe('rock-sandboxes');
    expect(env.get('ROCK_K8S_RUNTIME_CLASS')?.value).toBe('gvisor');
    expect(env.get('ROCK_K8S_NODE_SELECTOR')?.value).toBe('rock.io/sandbox-node=true,rock.io/sandbox-pool=gvisor');
    expect(env.get('ROCK_K8S_IMAGE_PULL_SECRETS')?.value).toBe('sandbox-registry');
    expect(JSON.parse(env.get('ROCK_K8S_TOLERATIONS')?.value ?? '')).toEqual([{ key: 'rock.io/sandbox', operator: 'Exists', effect: 'NoSchedule' }]);
  });
});

describe('NetworkPolicy: only ROCK pods reach sandboxes on 22555; metadata address blocked', () => {
  interface Peer { podSelector?: { matchLabels: Record<string, string> }; namespaceSelector?: { matchLabels: Record<string, string> }; ipBlock?: { cidr: string; except?: string[] } }
  interface Policy { podSelector: { matchLabels: Record<string, string> }; ingress: { from: Peer[]; ports: { port: number }[] }[]; egress: { to: Peer[] }[] | null }

  test('the policy selects this release\'s sandbox pods and admits write and read pods only', () => {
    const policy = findObject(objects, 'NetworkPolicy', 'sandboxes').spec as Policy;
    const instance = envOf(findObject(objects, 'Deployment', '-write')).get('ROCK_INSTANCE')?.value;
    expect(policy.podSelector.matchLabels).toEqual({ 'rock.managed': 'true', 'rock.instance': instance });
    expect(policy.ingress).toHaveLength(1);
    expect(policy.ingress[0].ports).toEqual([{ port: 22555, protocol: 'TCP' }]);
    const [peer] = policy.ingress[0].from;
    expect(peer.namespaceSelector?.matchLabels).toEqual({ 'kubernetes.io/metadata.name': NAMESPACE });
    const admitted = (suffix: string, kind = 'Deployment'): boolean =>
      matches(peer.podSelector?.matchLabels ?? {}, podTemplate(findObject(objects, kind, suffix)).metadata.labels);
    expect(admitted('-write')).toBe(true);
    expect(admitted('-read')).toBe(true);
    expect(admitted('-redis', 'StatefulSet')).toBe(false);
  });

  test('egress allows the world except 169.254.169.254/32 by default; allowEgress=false leaves DNS only', async () => {
    const policy = findObject(objects, 'NetworkPolicy', 'sandboxes').spec as Policy;
    const blocks = (policy.egress ?? []).flatMap((rule) => rule.to).filter((peer) => peer.ipBlock);
    expect(blocks).toEqual([{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }]);
    const gvisor = (await renderChart(tools.helm, { valuesFiles: [ciFile('gvisor')] })).objects;
    const closed = findObject(gvisor, 'NetworkPolicy', 'sandboxes').spec as Policy;
    expect(closed.egress?.flatMap((rule) => rule.to)).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }]);
  });
});

describe('Redis, secrets and service environment', () => {
  test('bundled Redis runs with AOF, noeviction and a PVC; ROCK_REDIS_URL points at it', () => {
    const redis = findObject(objects, 'StatefulSet', '-redis');
    const container = podTemplate(redis).spec.containers[0];
    expect(container.args?.join(' ')).toContain('--appendonly yes');
    expect(container.args?.join(' ')).toContain('--maxmemory-policy noeviction');
    expect((redis.spec as { volumeClaimTemplates: unknown[] }).volumeClaimTemplates).toHaveLength(1);
    const url = envOf(findObject(objects, 'Deployment', '-write')).get('ROCK_REDIS_URL')?.valueFrom?.secretKeyRef;
    const secret = findObject(objects, 'Secret', url?.name ?? '?');
    expect(Buffer.from((secret.data as Record<string, string>)[url?.key ?? ''], 'base64').toString()).toBe(`redis://${FULL}-redis:6379`);
  });

  test('external Redis: no StatefulSet, URL read from the existing secret', async () => {
    const external = (await renderChart(tools.helm, { valuesFiles: [ciFile('external-redis')] })).objects;
    expect(external.filter((o) => o.kind === 'StatefulSet')).toEqual([]);
    for (const suffix of ['-write', '-read']) {
      const env = envOf(findObject(external, 'Deployment', suffix));
      expect(env.get('ROCK_REDIS_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'rock-redis', key: 'url' });
      expect(env.get('ROCK_API_KEYS')?.valueFrom?.secretKeyRef).toEqual({ name: 'rock-api-keys', key: 'api-keys' });
    }
  });

  test('a generated API key is key:principal with a 40-character key, consumed as ROCK_API_KEYS by both services', () => {
    const secret = findObject(objects, 'Secret', '-api-keys');
    const keys = Buffer.from((secret.data as Record<string, string>)['api-keys'], 'base64').toString();
    expect(keys).toMatch(/^[A-Za-z0-9]{40}:admin$/);
    for (const suffix of ['-write', '-read']) {
      const env = envOf(findObject(objects, 'Deployment', suffix));
      expect(env.get('ROCK_API_KEYS')?.valueFrom?.secretKeyRef).toEqual({ name: secret.metadata.name, key: 'api-keys' });
      expect(env.get('ROCK_AUTH_ENABLED')?.value).toBe('true');
    }
  });

  test('write and read run the one image with their own command and ROCK_MODE; every ROCK_* name is a libs/config variable', () => {
    for (const mode of ['write', 'read']) {
      const deployment = findObject(objects, 'Deployment', `-${mode}`);
      const container = podTemplate(deployment).spec.containers[0];
      expect(container.args).toEqual(['node', `dist/services/${mode}/src/main.js`]);
      const env = envOf(deployment);
      expect(env.get('ROCK_MODE')?.value).toBe(mode);
      expect(env.get('ROCK_RUNTIME')?.value).toBe('kubernetes');
      const unknown = [...env.keys()].filter((name) => !(name in VARIABLES));
      expect(unknown).toEqual([]);
    }
  });

  test('write runs >= 2 replicas; read scales with a CPU HPA; both have PDBs', async () => {
    expect((findObject(objects, 'Deployment', '-write').spec as { replicas: number }).replicas).toBe(2);
    const hpa = findObject(objects, 'HorizontalPodAutoscaler', '-read').spec as { minReplicas: number; maxReplicas: number; metrics: { resource: { name: string } }[] };
    expect([hpa.minReplicas, hpa.maxReplicas, hpa.metrics[0].resource.name]).toEqual([2, 10, 'cpu']);
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => o.metadata.name).sort()).toEqual([`${FULL}-read`, `${FULL}-write`]);
    const tuned = (await renderChart(tools.helm, { set: { 'read.autoscaling.minReplicas': '3', 'read.autoscaling.maxReplicas': '40' } })).objects;
    const tunedHpa = findObject(tuned, 'HorizontalPodAutoscaler', '-read').spec as { minReplicas: number; maxReplicas: number };
    expect([tunedHpa.minReplicas, tunedHpa.maxReplicas]).toEqual([3, 40]);
    const fixed = (await renderChart(tools.helm, { valuesFiles: [ciFile('no-ingress')] })).objects;
    expect(fixed.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    expect((findObject(fixed, 'Deployment', '-read').spec as { replicas: number }).replicas).toBe(3);
  });
});

describe.each(['default', 'external-redis', 'no-ingress', 'gvisor', 'servicemonitor'])('ci/%s-values.yaml environment', (ci) => {
  test('passes the services\' own loadConfig (secrets resolved from the rendered Secrets or stand-ins)', async () => {
    const rendered = (await renderChart(tools.helm, { valuesFiles: [ciFile(ci)] })).objects;
    const secretValue = (ref: { name: string; key: string }): string => {
      const secret = rendered.find((o) => o.kind === 'Secret' && o.metadata.name === ref.name);
      if (!secret) return ref.key.includes('url') ? 'redis://external-redis:6379' : 'stand-in-key-0123456789:ops';
      return Buffer.from((secret.data as Record<string, string>)[ref.key], 'base64').toString();
    };
    for (const mode of ['write', 'read'] as const) {
      const env: Record<string, string> = {};
      for (const [name, entry] of envOf(findObject(rendered, 'Deployment', `-${mode}`))) {
        env[name] = entry.value ?? secretValue(entry.valueFrom?.secretKeyRef ?? { name: '?', key: '?' });
      }
      const config = loadConfig(env);
      expect(config.mode).toBe(mode);
      expect(config.runtime.kind).toBe('kubernetes');
    }
  });
});
