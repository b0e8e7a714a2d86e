import type { V1Toleration } from '@kubernetes/client-node';
import type { Clock } from '../poll';
import type { RuntimeLogger } from '../runtime.types';

/** How the driver authenticates to the API server. */
export type KubernetesAuth =
  /** The pod's service account: `https://kubernetes.default.svc`, its CA and rotating token. */
  | { mode: 'in-cluster' }
  /** A kubeconfig file (token, token file or client certificate), optionally a named context. */
  | { mode: 'kubeconfig'; path: string; context?: string };

/** Configuration of {@link KubernetesRuntime}. */
export interface KubernetesRuntimeOptions {
  /** Namespace the sandbox pods live in (the write service needs pod rights there). */
  namespace: string;
  /** Value of the instance label; only pods carrying it are listed, inspected or deleted. */
  instance: string;
  /** Name of the instance label (default `rock.instance`). */
  instanceLabel?: string;
  /** Image of the init container that copies the rocklet bundle into `/rock`. */
  rockletImage: string;
  /** Authentication to the API server. */
  auth: KubernetesAuth;
  /** Pod name prefix (default `rock-`). */
  namePrefix?: string;
  /** `activeDeadlineSeconds` of every pod: the kubelet kills sandboxes older than this (default 86400). */
  activeDeadlineSeconds?: number;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  runtimeClassName?: string | null;
  /** Names of existing dockerconfigjson Secrets added to every pod's `imagePullSecrets`. */
  imagePullSecrets?: string[];
  /** Client-side request rate limit: sustained requests per second (default 20). */
  qps?: number;
  /** Client-side request rate limit: requests allowed at once (default 40). */
  burst?: number;
  /** Reported `host_name` when the pod has no node name yet (default `kubernetes`). */
  hostName?: string;
  /** Wait for a deleted pod to leave the informer cache, ms (default 30000). */
  deleteWaitMs?: number;
  /**
   * Called once when a pod that finished its create disappears or fails without ROCK deleting
   * it (the reconciler marks the record `lost`). Exceptions it throws are ignored.
   */
  onLost?: (sandboxId: string, reason: string) => void;
  /** Time source for the rate limit and the watch restart backoff (injectable so tests never sleep). */
  clock?: Clock;
  logger?: RuntimeLogger;
}

export const K8S_DEFAULTS = Object.freeze({
  namePrefix: 'rock-',
  activeDeadlineSeconds: 86_400,
  qps: 20,
  burst: 40,
  hostName: 'kubernetes',
  deleteWaitMs: 30_000,
});
