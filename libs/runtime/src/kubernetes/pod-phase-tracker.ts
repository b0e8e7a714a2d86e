import type { PhaseReporter } from '../phase-reporter';
import { RuntimeError } from '../runtime.errors';
import type { RuntimePhase } from '../runtime.types';
import type { PodProgress } from './pod-status';

const ORDER: readonly RuntimePhase[] = ['image_pull', 'container_start', 'rocklet_ready'];
const STAGE: Record<Exclude<PodProgress['kind'], 'failed'>, number> = { pending: 0, pulled: 1, started: 2, ready: 3 };

/**
 * Turns the pod states the informer delivers into phase reports after the pod was accepted
 * (container_create = the API server accepted the Pod): image_pull lasts until the sandbox
 * container reports an image or runs — the pod status does not separate the init container's bundle
 * copy, the pull and the container creation, so all three count here; container_start until it
 * runs; rocklet_ready until the Ready condition (the kubelet's `/is_alive` probe) is True.
 */
export class PodPhaseTracker {
  private index = 0;

  constructor(private readonly reporter: PhaseReporter) {
    reporter.report('image_pull', 'running');
  }

  /** The phase the pod is in now. */
  get current(): RuntimePhase {
    return ORDER[Math.min(this.index, ORDER.length - 1)] ?? 'rocklet_ready';
  }

  /** Reports every phase the pod passed since the last call. */
  advance(progress: Exclude<PodProgress['kind'], 'failed'>): void {
    const stage = STAGE[progress];
    while (this.index < stage) {
      this.reporter.report(this.current, 'success');
      this.index += 1;
      if (this.index < ORDER.length) this.reporter.report(this.current, 'running');
    }
  }

  /** Reports the failure in the later of its own phase and the current one, and returns it attributed so. */
  fail(error: RuntimeError): RuntimeError {
    const own = error.phase ? ORDER.indexOf(error.phase) : -1;
    const phase = ORDER[Math.max(own, this.index)] ?? this.current;
    const attributed = error.inPhase(phase);
    this.reporter.report(phase, attributed.code === 'STARTUP_TIMEOUT' ? 'timeout' : 'failed', attributed.message);
    return attributed;
  }

  /** The startup deadline passed in the current phase. */
  timeout(budgetMs: number): RuntimeError {
    const error = new RuntimeError('STARTUP_TIMEOUT', `${this.current} did not finish within the startup timeout of ${budgetMs} ms`, {
      transient: true,
      phase: this.current,
    });
    return this.fail(error);
  }
}
