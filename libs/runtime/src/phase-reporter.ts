import { isRuntimeError, RuntimeError } from './runtime.errors';
import type { PhaseUpdate, RuntimePhase, RuntimePhaseStatus } from './runtime.types';

/**
 * Reports phase transitions to a create's `onPhase` callback and attributes failures to the
 * phase they happened in. A throwing callback never breaks the create.
 */
export class PhaseReporter {
  constructor(private readonly onPhase?: (update: PhaseUpdate) => void) {}

  report(phase: RuntimePhase, status: RuntimePhaseStatus, message = ''): void {
    if (!this.onPhase) return;
    try {
      this.onPhase({ phase, status, message, at: new Date() });
    } catch {
      // The callback is the caller's bookkeeping; its failure must not fail the sandbox.
    }
  }

  /** Runs `step` as `phase`: running → success (with the message `step` returns) or failed/timeout. */
  async run<T>(phase: RuntimePhase, step: () => Promise<{ value: T; message?: string }>): Promise<T> {
    this.report(phase, 'running');
    try {
      const { value, message } = await step();
      this.report(phase, 'success', message ?? '');
      return value;
    } catch (err) {
      const error = toPhaseError(err, phase);
      this.report(phase, error.code === 'STARTUP_TIMEOUT' ? 'timeout' : 'failed', error.message);
      throw error;
    }
  }
}

/** Wraps any error as a {@link RuntimeError} attributed to `phase`. */
export function toPhaseError(err: unknown, phase: RuntimePhase): RuntimeError {
  if (isRuntimeError(err)) return err.phase ? err : err.inPhase(phase);
  const message = err instanceof Error ? err.message : String(err);
  return new RuntimeError('RUNTIME_ERROR', `${phase} failed: ${message}`, { phase, cause: err });
}
