import { isRuntimeError, RuntimeError } from './runtime.errors';
import { toPhaseError } from './phase-reporter';

/** A signal that fires after `ms` or when `caller` fires, whichever comes first. */
export function deadlineSignal(ms: number, caller?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(Math.max(1, Math.ceil(ms)));
  return caller ? AbortSignal.any([caller, timeout]) : timeout;
}

/**
 * The error an operation ends with: `ABORTED` (keeping the phase) when the caller's signal fired,
 * else `err` as a {@link RuntimeError}.
 */
export function abortReason(caller: AbortSignal | undefined, err: unknown): RuntimeError {
  const phase = isRuntimeError(err) ? err.phase : null;
  if (caller?.aborted) {
    return new RuntimeError('ABORTED', 'The operation was aborted by the caller.', { phase: phase ?? undefined, cause: err });
  }
  if (isRuntimeError(err)) return err;
  return phase ? toPhaseError(err, phase) : new RuntimeError('RUNTIME_ERROR', String(err instanceof Error ? err.message : err), { cause: err });
}
