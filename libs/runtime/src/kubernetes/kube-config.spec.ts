import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inClusterAccess, kubeconfigAccess } from './kube-config';

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
clusters:
- {name: ca, cluster: {server: "https://a.example:6443/", certificate-authority-data: ${Buffer.from('CA-A').toString('base64')}}}
- {name: cb, cluster: {server: "https://b.example", insecure-skip-tls-verify: true}}
users:
- {name: token-user, user: {token: abc}}
- {name: cert-user, user: {client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key: key.pem}}
`;

describe('kubeconfigAccess', () => {
  it('reads the current context: server, CA data and bearer token', () => {
    const file = join(dir, 'config');
    writeFileSync(file, kubeconfig);
    const access = kubeconfigAccess(file);
    expect(access).toMatchObject({ server: 'https://a.example:6443', rejectUnauthorized: true });
    expect(access.ca?.toString()).toBe('CA-A');
    expect(access.token?.()).toBe('abc');
  });

  it('reads a named context with a client certificate and a key file relative to the kubeconfig', () => {
    const file = join(dir, 'config');
    writeFileSync(file, kubeconfig);
    writeFileSync(join(dir, 'key.pem'), 'KEY');
    const access = kubeconfigAccess(file, 'b');
    expect(access).toMatchObject({ server: 'https://b.example', rejectUnauthorized: false, token: null });
    expect(access.cert?.toString()).toBe('CERT');
    expect(access.key?.toString()).toBe('KEY');
  });

  it('names the missing context or file', () => {
    const file = join(dir, 'config');
    writeFileSync(file, kubeconfig);
    expect(() => kubeconfigAccess(file, 'nope')).toThrow(`kubeconfig ${file}: context "nope" not found`);
    expect(() => kubeconfigAccess(join(dir, 'absent'))).toThrow(/absent: cannot be read/);
  });
});

describe('inClusterAccess', () => {
  it('uses the service account token and CA', () => {
    writeFileSync(join(dir, 'token'), 'sa-token\n');
    writeFileSync(join(dir, 'ca.crt'), 'SA-CA');
    const access = inClusterAccess(dir);
    expect(access.server).toBe('https://kubernetes.default.svc');
    expect(access.token?.()).toBe('sa-token');
    expect(access.ca?.toString()).toBe('SA-CA');
  });
});
