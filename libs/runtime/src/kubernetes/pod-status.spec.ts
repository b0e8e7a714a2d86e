import type { V1Pod } from '@kubernetes/client-node';
import { PhaseReporter } from '../phase-reporter';
import type { PhaseUpdate } from '../runtime.types';
import { PodPhaseTracker } from './pod-phase-tracker';
import { podEndReason, podProgress } from './pod-status';

function pod(status: V1Pod['status']): V1Pod {
  return { metadata: { name: 'p' }, spec: { containers: [{ name: 'sandbox', image: 'img' }] }, status };
}
const waiting = (reason: string, message?: string) => ({ name: 'sandbox', image: 'img', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason, message } } });

describe('podProgress', () => {
  it('reads pending, started and ready from the kubelet status', () => {
    expect(podProgress(pod({ phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] })).kind).toBe('pending');
    const running = { ...waiting('x'), imageID: 'sha', state: { running: {} } };
    expect(podProgress(pod({ phase: 'Running', podIP: '10.1.2.3', containerStatuses: [running] })).kind).toBe('started');
    const ready = podProgress(pod({ phase: 'Running', podIP: '10.1.2.3', containerStatuses: [running], conditions: [{ type: 'Ready', status: 'True' }] }));
    expect(ready).toEqual({ kind: 'ready', podIp: '10.1.2.3' });
  });

  it.each(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName'])('ends the create on %s with the kubelet message in image_pull', (reason) => {
    const progress = podProgress(pod({ phase: 'Pending', containerStatuses: [waiting(reason, 'not found')] }));
    expect(progress).toMatchObject({ kind: 'failed', error: { phase: 'image_pull', message: `${reason} for image "img": not found` } });
  });

  it('also fails on the init container (rocklet-runtime image) and on a pod that ended', () => {
    const init = podProgress(pod({ phase: 'Pending', initContainerStatuses: [{ ...waiting('ErrImagePull'), name: 'rocklet-bundle' }] }));
    expect(init).toMatchObject({ kind: 'failed', error: { code: 'IMAGE_PULL_FAILED' } });
    const ended = pod({ phase: 'Failed', reason: 'DeadlineExceeded', containerStatuses: [{ ...waiting('x'), state: { terminated: { exitCode: 137, reason: 'Error' } } }] });
    expect(podProgress(ended)).toMatchObject({ kind: 'failed', error: { code: 'SANDBOX_EXITED' } });
    expect(podEndReason(ended)).toBe('DeadlineExceeded; container exited with code 137 (Error)');
  });
});

describe('PodPhaseTracker', () => {
  it('reports every phase passed, and attributes failures and timeouts to the current phase', () => {
    const updates: PhaseUpdate[] = [];
    const tracker = new PodPhaseTracker(new PhaseReporter((u) => updates.push(u)));
    tracker.advance('pending');
    tracker.advance('started');
    const err = tracker.timeout(5000);
    expect(updates.map((u) => `${u.phase}:${u.status}`)).toEqual([
      'image_pull:running', 'image_pull:success', 'container_start:running', 'container_start:success', 'rocklet_ready:running', 'rocklet_ready:timeout',
    ]);
    expect(err).toMatchObject({ code: 'STARTUP_TIMEOUT', phase: 'rocklet_ready', transient: true });
  });
});
