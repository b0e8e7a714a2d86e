import type * as ClientNode from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { accessSync, constants } from 'node:fs';
import { RuntimeError } from '../runtime.errors';
import type { KubernetesAuth } from './kubernetes.options';

export type ClientNodeModule = typeof ClientNode;

let loaded: ClientNodeModule | null = null;

/**
 * `@kubernetes/client-node`, loaded on first use: it is ~2,700 ES modules (≈0.8 s of CPU to load),
 * which only the kubernetes driver needs, so the services and every other driver never pay for it.
 * On Node 20 this is require(esm); package.json overrides its undici 8 (Node ≥ 22) with the root undici 7.
 */
export function clientNode(): ClientNodeModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@kubernetes/client-node') as ClientNodeModule;
  return loaded;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * client-node's `KubeConfig` for the configured authentication: the pod's service account
 * (`loadFromCluster`: `KUBERNETES_SERVICE_HOST`, the CA and the rotating token file) or a kubeconfig
 * file's current or named context. Problems client-node would only report at the first request are
 * reported here, naming the file and what is missing.
 */
export function loadKubeConfig(auth: KubernetesAuth, rootPrefix = ''): KubeConfig {
  const kc = new (clientNode().KubeConfig)();
  if (auth.mode === 'in-cluster') return inCluster(kc, rootPrefix);
  return fromFile(kc, auth.path, auth.context);
}

function inCluster(kc: KubeConfig, rootPrefix: string): KubeConfig {
  const where = 'in-cluster authentication';
  const dir = `${rootPrefix}${SA_DIR}`;
  for (const file of ['token', 'ca.crt']) {
    try {
      accessSync(`${dir}/${file}`, constants.R_OK);
    } catch (err) {
      throw new RuntimeError('INVALID_SPEC', `${where}: ${dir}/${file} cannot be read (not running in a pod with a service account?)`, { cause: err });
    }
  }
  kc.loadFromCluster(rootPrefix);
  const server = kc.getCurrentCluster()?.server ?? '';
  if (/\/\/(undefined)?:/.test(server)) throw new RuntimeError('INVALID_SPEC', `${where}: KUBERNETES_SERVICE_HOST/PORT are not set (not running in a pod?)`);
  return kc;
}

function fromFile(kc: KubeConfig, file: string, context: string | undefined): KubeConfig {
  try {
    kc.loadFromFile(file);
  } catch (err) {
    throw new RuntimeError('INVALID_SPEC', `kubeconfig ${file}: cannot be read: ${(err as Error).message}`, { cause: err });
  }
  const name = context ?? kc.getCurrentContext();
  if (!name || !kc.getContextObject(name)) throw new RuntimeError('INVALID_SPEC', `kubeconfig ${file}: context "${name ?? ''}" not found`);
  kc.setCurrentContext(name);
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new RuntimeError('INVALID_SPEC', `kubeconfig ${file}: context "${name}" names no cluster with a server`);
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    throw new RuntimeError('INVALID_SPEC', `kubeconfig ${file}: cluster server ${cluster.server} is plain HTTP, which needs insecure-skip-tls-verify: true`);
  }
  return kc;
}
