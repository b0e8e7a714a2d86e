import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { SANDBOX_ID_LABEL } from '../labels';
import type { RuntimeResource, RuntimeState, RuntimeStatus } from '../runtime.types';
import { SANDBOX_CONTAINER } from './pod-manifest';

function sandboxContainer(pod: V1Pod): V1ContainerStatus | undefined {
  return pod.status?.containerStatuses?.find((s) => s.name === SANDBOX_CONTAINER);
}

function podStatus(pod: V1Pod): RuntimeStatus {
  switch (pod.status?.phase) {
    case 'Pending':
      return 'created';
    case 'Running':
      return 'running';
    case 'Succeeded':
    case 'Failed':
      return 'exited';
    default:
      return 'unknown';
  }
}

function isRunning(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running' && !!sandboxContainer(pod)?.state?.running && !pod.metadata?.deletionTimestamp;
}

function image(pod: V1Pod): string {
  return pod.spec?.containers.find((c) => c.name === SANDBOX_CONTAINER)?.image ?? '';
}

function createdAt(pod: V1Pod): Date {
  return new Date(pod.metadata?.creationTimestamp ?? 0);
}

/** {@link RuntimeState} of a cached pod. */
export function podState(pod: V1Pod): RuntimeState {
  const running = isRunning(pod);
  return {
    sandboxId: pod.metadata?.labels?.[SANDBOX_ID_LABEL] ?? '',
    resourceId: pod.metadata?.uid ?? pod.metadata?.name ?? '',
    status: podStatus(pod),
    running,
    exitCode: sandboxContainer(pod)?.state?.terminated?.exitCode ?? null,
    image: image(pod),
    createdAt: createdAt(pod),
    address: running ? (pod.status?.podIP ?? null) : null,
  };
}

/** {@link RuntimeResource} of a cached pod, for the reconciler. */
export function podResource(pod: V1Pod): RuntimeResource {
  return {
    sandboxId: pod.metadata?.labels?.[SANDBOX_ID_LABEL] ?? '',
    resourceId: pod.metadata?.uid ?? pod.metadata?.name ?? '',
    running: isRunning(pod),
    image: image(pod),
    createdAt: createdAt(pod),
    labels: { ...(pod.metadata?.labels ?? {}) },
  };
}
