import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { renderChart, type K8sObject } from './support/chart';
import { CHART_DIR, ensureK8sTools, runTool, type K8sTools } from './support/k8s-tools';
import { loadModels, validateObject, type ModelMap } from './support/manifest-validator';

// helm lint / helm template of every ci/*-values.yaml, rendered objects checked against the
// Kubernetes OpenAPI models, and bad values refused with messages naming the value.
jest.setTimeout(300_000);

const CI_FILES = readdirSync(join(CHART_DIR, 'ci'))
  .filter((f) => f.endsWith('-values.yaml'))
  .sort();

let tools: K8sTools;
let models: ModelMap;

beforeAll(async () => {
  tools = await ensureK8sTools();
  models = await loadModels();
});

test('the ci/ directory holds the supported combinations', () => {
  expect(CI_FILES).toEqual([
    'default-values.yaml',
    'external-redis-values.yaml',
    'gvisor-values.yaml',
    'no-ingress-values.yaml',
    'servicemonitor-values.yaml',
  ]);
});

describe.each(CI_FILES)('ci/%s', (file) => {
  const valuesFile = join(CHART_DIR, 'ci', file);
  let objects: K8sObject[];

  beforeAll(async () => {
    const rendered = await renderChart(tools.helm, { valuesFiles: [valuesFile] });
    expect(rendered.stderr).toBe('');
    expect(rendered.code).toBe(0);
    objects = rendered.objects;
  });

  test('helm lint --strict passes', async () => {
    const lint = await runTool(tools.helm, ['lint', CHART_DIR, '--strict', '-f', valuesFile], 120_000);
    expect(lint.stdout + lint.stderr).toContain('0 chart(s) failed');
    expect(lint.code).toBe(0);
  });

  test('every rendered object matches its Kubernetes API model', () => {
    expect(objects.length).toBeGreaterThan(8);
    const errors = objects.flatMap((object) => validateObject(models, object));
    expect(errors).toEqual([]);
  });

  test('object names are unique per kind and namespace', () => {
    const keys = objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('the manifest validator catches what the API server would refuse', () => {
  const deployment = (container: Record<string, unknown>): K8sObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [container] } } },
  });

  test('unknown fields, wrong types and missing required fields are named with their path', () => {
    const errors = validateObject(models, deployment({ image: 'x', env: [{ name: 'A', value: 8080 }], portz: [] }));
    expect(errors).toEqual(
      expect.arrayContaining([
        'Deployment/d: .spec.template.spec.containers[0].env[0].value: expected a string, got 8080',
        'Deployment/d: .spec.template.spec.containers[0].portz: unknown field of V1Container',
        'Deployment/d: .spec.template.spec.containers[0].name: required by V1Container',
      ]),
    );
    expect(validateObject(models, deployment({ name: 'c', image: 'x' }))).toEqual([]);
  });
});

describe('bad values are refused with a message naming the value', () => {
  test('values.schema.json rejects wrong types, enums and unknown keys', async () => {
    const rendered = await renderChart(tools.helm, {
      set: { 'write.replicaCount': 'two', 'redis.appendfsync': 'sometimes', 'service.type': 'Mesh', 'colour': 'blue' },
    });
    expect(rendered.code).not.toBe(0);
    expect(rendered.stderr).toContain("at '/write/replicaCount': got string, want integer");
    expect(rendered.stderr).toContain("at '/redis/appendfsync': value must be one of 'always', 'everysec', 'no'");
    expect(rendered.stderr).toContain("at '/service/type'");
    expect(rendered.stderr).toContain("additional properties 'colour' not allowed");
  });

  test('the schema rejects a malformed egress CIDR and a non-redis external URL', async () => {
    const rendered = await renderChart(tools.helm, {
      set: { 'redis.enabled': 'false', 'redis.external.url': 'http://redis:6379' },
      setJson: { 'sandbox.networkPolicy.blockedEgressCIDRs': ['169.254.169.254'] },
    });
    expect(rendered.code).not.toBe(0);
    expect(rendered.stderr).toContain('/sandbox/networkPolicy/blockedEgressCIDRs/0');
    expect(rendered.stderr).toContain('/redis/external/url');
  });

  test('rock.validateValues reports every invalid combination at once', async () => {
    const rendered = await renderChart(tools.helm, {
      set: {
        'write.replicaCount': '1',
        'redis.enabled': 'false',
        'ingress.tls.enabled': 'true',
        'read.autoscaling.minReplicas': '5',
        'read.autoscaling.maxReplicas': '3',
        'auth.apiKeys': 'short:team',
        'sandbox.createNamespace': 'true',
      },
      setJson: { 'sandbox.networkPolicy.allowedEgressCIDRs': ['10.1.0.0/16'], 'sandbox.networkPolicy.blockedEgressCIDRs': ['10.0.0.0/8'] },
    });
    expect(rendered.code).not.toBe(0);
    const expected = [
      'redis: redis.enabled=false needs redis.external.url or redis.external.existingSecret',
      'write.replicaCount: must be >= 2 for a highly available lifecycle queue (got 1)',
      'read.autoscaling: minReplicas (5) must be <= maxReplicas (3)',
      'ingress.tls.enabled: needs ingress.host',
      'ingress.tls.secretName: required when ingress.tls.enabled',
      'sandbox.createNamespace: needs sandbox.namespace',
      'sandbox.networkPolicy.allowedEgressCIDRs: 10.1.0.0/16 lies inside blocked 10.0.0.0/8',
      'auth.apiKeys: entry "short:team" must be key:principal with a key of >= 16 characters',
    ];
    for (const message of expected) expect(rendered.stderr).toContain(message);
    expect(rendered.stderr).toMatch(/INVALID VALUES \(\d+\)/);
  });
});

test('NOTES.txt tells how to reach ROCK and create a first sandbox', async () => {
  const install = await runTool(tools.helm, ['install', 'notes-test', CHART_DIR, '--dry-run=client', '-n', 'rock-system'], 120_000);
  expect(install.code).toBe(0);
  const notes = install.stdout.slice(install.stdout.indexOf('NOTES:'));
  expect(notes).toContain('get secret notes-test-rock-api-keys');
  expect(notes).toContain('$ROCK_URL/apis/envs/sandbox/v1/start');
  expect(notes).toContain('$ROCK_URL/apis/envs/sandbox/v1/execute');
  expect(notes).toContain('$ROCK_URL/apis/envs/sandbox/v1/stop');
  const noIngress = await runTool(
    tools.helm,
    ['install', 'notes-test', CHART_DIR, '--dry-run=client', '-n', 'rock-system', '-f', join(CHART_DIR, 'ci', 'no-ingress-values.yaml')],
    120_000,
  );
  expect(noIngress.stdout).toContain('port-forward svc/notes-test-rock-write');
  expect(noIngress.stdout).toContain('$ROCK_READ_URL/apis/envs/sandbox/v1/execute');
});
