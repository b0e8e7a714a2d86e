import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from './kube-config';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rock-kubecfg-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const kubeconfig = `apiVersion: v1
kind: Config
current-context: a
contexts:
- {name: a, context: {cluster: ca, user: token-user}}
- {name: b, context: {cluster: cb, user: cert-user}}
- {name: plain, context: {cluster: http, user: token-user}}
- {name: plain-insecure, context: {cluster: http-insecure, user: token-user}}
clusters:
- {name: ca, cluster: {server: "https://a.example:6443", certificate-authority-data: ${Buffer.from('CA-A').toString('base64')}}}
- {name: cb, cluster: {server: "https://b.example", insecure-skip-tls-verify: true}}
- {name: http, cluster: {server: "http://127.0.0.1:8080"}}
- {name: http-insecure, cluster: {server: "http://127.0.0.1:8080", insecure-skip-tls-verify: true}}
users:
- {name: token-user, user: {token: abc}}
- {name: cert-user, user: {client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key: key.pem}}
`;

/** What client-node sends with each request for this config: headers and TLS material. */
async function requestOptions(kc: KubeConfig): Promise<{ headers?: Record<string, string>; ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean }> {
  const opts = {};
  await kc.applyToHTTPSOptions(opts);
  return opts;
}

function writeKubeconfig(): string {
  const file = join(dir, 'config');
  writeFileSync(file, kubeconfig);
  return file;
}

describe('loadKubeConfig (kubeconfig file)', () => {
  it('uses the current context: server, CA data and bearer token', async () => {
    const kc = loadKubeConfig({ mode: 'kubeconfig', path: writeKubeconfig() });
    expect(kc.getCurrentCluster()?.server).toBe('https://a.example:6443');
    const opts = await requestOptions(kc);
    expect(opts.headers?.Authorization).toBe('Bearer abc');
    expect(opts.ca?.toString()).toBe('CA-A');
    expect(opts.rejectUnauthorized).toBeUndefined();
  });

  it('uses a named context with a client certificate and a key file relative to the kubeconfig', async () => {
    const file = writeKubeconfig();
    writeFileSync(join(dir, 'key.pem'), 'KEY');
    const kc = loadKubeConfig({ mode: 'kubeconfig', path: file, context: 'b' });
    expect(kc.getCurrentCluster()?.server).toBe('https://b.example');
    const opts = await requestOptions(kc);
    expect(opts).toMatchObject({ rejectUnauthorized: false });
    expect(opts.headers?.Authorization).toBeUndefined();
    expect(opts.cert?.toString()).toBe('CERT');
    expect(opts.key?.toString()).toBe('KEY');
  });

  it('names the missing context or file', () => {
    const file = writeKubeconfig();
    expect(() => loadKubeConfig({ mode: 'kubeconfig', path: file, context: 'nope' })).toThrow(`kubeconfig ${file}: context "nope" not found`);
    expect(() => loadKubeConfig({ mode: 'kubeconfig', path: join(dir, 'absent') })).toThrow(/absent: cannot be read/);
    writeFileSync(join(dir, 'broken'), 'clusters: [{name: x}]\ncontexts: []\n');
    expect(() => loadKubeConfig({ mode: 'kubeconfig', path: join(dir, 'broken') })).toThrow(/broken: cannot be read: clusters\[0\].cluster is missing/);
  });

  it('refuses a plain-HTTP server unless insecure-skip-tls-verify says so', () => {
    const file = writeKubeconfig();
    expect(() => loadKubeConfig({ mode: 'kubeconfig', path: file, context: 'plain' })).toThrow(
      `kubeconfig ${file}: cluster server http://127.0.0.1:8080 is plain HTTP, which needs insecure-skip-tls-verify: true`,
    );
    expect(loadKubeConfig({ mode: 'kubeconfig', path: file, context: 'plain-insecure' }).getCurrentCluster()?.server).toBe('http://127.0.0.1:8080');
  });
});

describe('loadKubeConfig (in-cluster)', () => {
  const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
  const restore = (name: string, value: string | undefined): void => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  afterEach(() => {
    restore('KUBERNETES_SERVICE_HOST', saved.host);
    restore('KUBERNETES_SERVICE_PORT', saved.port);
  });

  function serviceAccount(): void {
    const sa = join(dir, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), 'sa-token');
    writeFileSync(join(sa, 'ca.crt'), 'SA-CA');
  }

  it("uses the service account's token and CA and the service host the kubelet injects", async () => {
    serviceAccount();
    process.env.KUBERNETES_SERVICE_HOST = '10.96.0.1';
    process.env.KUBERNETES_SERVICE_PORT = '443';
    const kc = loadKubeConfig({ mode: 'in-cluster' }, dir);
    expect(kc.getCurrentCluster()?.server).toBe('https://10.96.0.1:443');
    const opts = await requestOptions(kc);
    expect(opts.headers?.Authorization).toBe('Bearer sa-token');
    expect(opts.ca?.toString()).toBe('SA-CA');
  });

  it('names what is missing outside a pod', () => {
    expect(() => loadKubeConfig({ mode: 'in-cluster' }, dir)).toThrow(/in-cluster authentication: .*serviceaccount\/token cannot be read/);
    serviceAccount();
    delete process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_PORT;
    expect(() => loadKubeConfig({ mode: 'in-cluster' }, dir)).toThrow('in-cluster authentication: KUBERNETES_SERVICE_HOST/PORT are not set');
  });
});
