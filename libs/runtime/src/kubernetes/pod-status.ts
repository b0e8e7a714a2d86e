import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { RuntimeError } from '../runtime.errors';
import { SANDBOX_CONTAINER } from './pod-manifest';

/** Waiting reasons that end a create: the kubelet cannot get the image (it would only back off). */
const PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable']);
/** Waiting reasons that mean the container cannot be created (bad spec); retrying will not help. */
const CREATE_FAILURES = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/** How far a pod got, as the create's phase tracker sees it. */
export type PodProgress =
  | { kind: 'pending' }
  | { kind: 'pulled' }
  | { kind: 'started' }
  | { kind: 'ready'; podIp: string }
  | { kind: 'failed'; error: RuntimeError };

function allStatuses(pod: V1Pod): V1ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

function sandboxStatus(pod: V1Pod): V1ContainerStatus | undefined {
  return pod.status?.containerStatuses?.find((s) => s.name === SANDBOX_CONTAINER);
}

/** True when the pod's Ready condition is True. */
export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The failure a pending or ended pod shows, or null while it may still come up. */
export function podFailure(pod: V1Pod): RuntimeError | null {
  for (const status of allStatuses(pod)) {
    const waiting = status.state?.waiting;
    const reason = waiting?.reason ?? '';
    const detail = waiting?.message ? `: ${waiting.message}` : '';
    if (PULL_FAILURES.has(reason)) {
      const code = reason === 'InvalidImageName' || reason === 'ErrImageNeverPull' ? 'IMAGE_NOT_FOUND' : 'IMAGE_PULL_FAILED';
      return new RuntimeError(code, `${reason} for image "${status.image}"${detail}`, { phase: 'image_pull' });
    }
    if (CREATE_FAILURES.has(reason)) {
      return new RuntimeError('RUNTIME_ERROR', `${reason} in container "${status.name}"${detail}`, { phase: 'container_start' });
    }
  }
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') {
    return new RuntimeError('SANDBOX_EXITED', `pod ended (${phase}) before rocklet became ready: ${podEndReason(pod)}`, { phase: 'container_start' });
  }
  return null;
}

/** One sentence on why a pod ended (pod reason/message, else the sandbox container's termination). */
export function podEndReason(pod: V1Pod): string {
  const terminated = sandboxStatus(pod)?.state?.terminated;
  const parts = [pod.status?.reason, pod.status?.message].filter((p): p is string => !!p);
  if (terminated) parts.push(`container exited with code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}`);
  return parts.length > 0 ? parts.join('; ') : `phase ${pod.status?.phase ?? 'unknown'}`;
}

/** Where a pod stands on its way to Ready. */
export function podProgress(pod: V1Pod): PodProgress {
  const failure = podFailure(pod);
  if (failure) return { kind: 'failed', error: failure };
  if (isPodReady(pod) && pod.status?.podIP) return { kind: 'ready', podIp: pod.status.podIP };
  const main = sandboxStatus(pod);
  if (main?.state?.running || main?.state?.terminated) return { kind: 'started' };
  if (main?.imageID) return { kind: 'pulled' };
  return { kind: 'pending' };
}

/** True when the pod is gone for good from ROCK's point of view (ended, or being deleted). */
export function podEnded(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Failed' || phase === 'Succeeded';
}
