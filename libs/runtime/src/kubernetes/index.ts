/** The Kubernetes driver: one Pod per sandbox, state from a list+watch informer. */
export { KubernetesRuntime } from './kubernetes.runtime';
export { K8S_DEFAULTS, type KubernetesAuth, type KubernetesRuntimeOptions } from './kubernetes.options';
export { cpuQuantity, podRockletCommand, sandboxPod } from './pod-manifest';
export { TokenBucket } from './token-bucket';
