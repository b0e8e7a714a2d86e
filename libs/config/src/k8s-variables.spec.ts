import { loadConfig } from './load-config';

describe('ROCK_K8S_* variables', () => {
  it('default to in-cluster auth, 20 QPS / 40 burst, a 24 h active deadline and no scheduling constraints', () => {
    expect(loadConfig({}).runtime.kubernetes).toEqual({
      namespace: 'rock-sandboxes',
      rockletImage: 'rock/rocklet-runtime:latest',
      kubeconfig: null,
      context: null,
      qps: 20,
      burst: 40,
      activeDeadlineSeconds: 86_400,
      nodeSelector: {},
      tolerations: [],
      runtimeClassName: null,
      imagePullSecrets: [],
    });
  });

  it('parse kubeconfig, rate limit, node selector, tolerations, runtime class and pull secrets', () => {
    const k8s = loadConfig({
      ROCK_K8S_KUBECONFIG: '/etc/rock/kubeconfig',
      ROCK_K8S_CONTEXT: 'prod',
      ROCK_K8S_QPS: '5.5',
      ROCK_K8S_BURST: '11',
      ROCK_K8S_ACTIVE_DEADLINE_SECONDS: '7200',
      ROCK_K8S_NODE_SELECTOR: 'pool=sandbox, zone=a',
      ROCK_K8S_TOLERATIONS: '[{"key":"sandbox","operator":"Exists","effect":"NoSchedule"}]',
      ROCK_K8S_RUNTIME_CLASS: 'gvisor',
      ROCK_K8S_IMAGE_PULL_SECRETS: 'regcred, mirror',
    }).runtime.kubernetes;
    expect(k8s).toMatchObject({
      kubeconfig: '/etc/rock/kubeconfig',
      context: 'prod',
      qps: 5.5,
      burst: 11,
      activeDeadlineSeconds: 7200,
      nodeSelector: { pool: 'sandbox', zone: 'a' },
      tolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }],
      runtimeClassName: 'gvisor',
      imagePullSecrets: ['regcred', 'mirror'],
    });
  });

  it('name every bad value with its rule', () => {
    let message = '';
    try {
      loadConfig({ ROCK_K8S_QPS: '0', ROCK_K8S_BURST: 'many', ROCK_K8S_NODE_SELECTOR: 'pool', ROCK_K8S_TOLERATIONS: '{"key":1}', ROCK_K8S_ACTIVE_DEADLINE_SECONDS: '5' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('ROCK_K8S_QPS: must be a number > 0');
    expect(message).toContain('ROCK_K8S_BURST: must be an integer 1-10000');
    expect(message).toContain('ROCK_K8S_NODE_SELECTOR: must be "key=value,..." with non-empty keys and values');
    expect(message).toContain('ROCK_K8S_TOLERATIONS: must be a JSON array of objects');
    expect(message).toContain('ROCK_K8S_ACTIVE_DEADLINE_SECONDS: must be an integer >= 60');
  });
});
