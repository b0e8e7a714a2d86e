import { RuntimeError } from '../runtime.errors';
import type { SandboxSpec } from '../runtime.types';
import type { LocalSandboxState } from './local-state';

/** The image_pull phase of a local create: nothing to pull. */
export function imageNote(spec: SandboxSpec): Promise<{ value: null; message: string }> {
  return Promise.resolve({ value: null, message: `local runtime records image ${spec.image} without using it` });
}

/** A startup deadline that passed while waiting for `what`. */
export function startupTimeout(what: string): RuntimeError {
  return new RuntimeError('STARTUP_TIMEOUT', `The startup deadline passed while ${what}.`, { phase: 'container_start', transient: true });
}

/** `local:<pid>:<start time>` of a started sandbox, `local:<id>` before its process runs. */
export function resourceId(state: LocalSandboxState): string {
  return state.pid === null ? `local:${state.sandboxId}` : `local:${state.pid}:${state.startTime}`;
}
