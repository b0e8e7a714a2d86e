import { DockerRuntime, type DockerRuntimeOptions } from './docker/docker.runtime';
import { LocalRuntime, type LocalRuntimeOptions } from './local/local.runtime';
import { RuntimeError } from './runtime.errors';
import type { SandboxRuntime } from './runtime.types';

/** Which driver to build and its options (from `ROCK_RUNTIME` and the driver's config section). */
export type RuntimeSelection =
  | { kind: 'docker'; options: DockerRuntimeOptions }
  | { kind: 'local'; options: LocalRuntimeOptions }
  | { kind: 'kubernetes'; options: unknown };

/** Builds the configured driver. `kubernetes` is provided by its own module (not here yet). */
export function createRuntime(selection: RuntimeSelection): SandboxRuntime {
  switch (selection.kind) {
    case 'docker':
      return new DockerRuntime(selection.options);
    case 'local':
      return new LocalRuntime(selection.options);
    default:
      throw new RuntimeError('NOT_SUPPORTED', `Runtime "${selection.kind}" is not available in @rock/runtime yet.`);
  }
}
