import { renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { SandboxSpec } from '../runtime.types';
import { sandboxPaths, type LocalSandboxState } from './local-state';
import type { WarmRocklet } from './warm-pool';

/**
 * Environment names a pooled rocklet cannot honour: the rocklet process itself reads them at boot
 * (`ROCKLET_*` its own settings, `ROCK_*` e.g. `ROCK_GEM_DATA_DIR`, `NODE_*`/`UV_*` the Node
 * runtime, `LD_*` the loader). Every other create-time variable reaches the sandbox's commands
 * because the read service merges the sandbox's env into each `execute` and `create_session`.
 */
const BOOT_TIME_ENV = /^(ROCKLET_|ROCK_|NODE_|UV_|LD_)/;

/** Why `spec` must start a cold rocklet instead of taking a pooled one, or null when it may take one. */
export function warmPoolBypassReason(spec: SandboxSpec): string | null {
  const name = Object.keys(spec.env).find((key) => BOOT_TIME_ENV.test(key));
  return name ? `env ${name} is read by rocklet at boot` : null;
}

/** The sandbox's state once it owns the pooled rocklet `warm`. */
export function adoptedState(warm: WarmRocklet, base: LocalSandboxState): LocalSandboxState {
  return {
    ...base,
    pid: warm.pid,
    startTime: warm.startTime,
    port: warm.port,
    isolation: warm.isolation,
    marker: warm.marker,
    alias: warm.dir,
  };
}

/**
 * Moves a pooled rocklet's slot to the sandbox's identity: the sandbox's state is written into the
 * slot, the slot directory is renamed to `<rootDir>/<sandboxId>` (the running process keeps its
 * working directory and log file, which follow the rename), and a symlink is left at the slot's
 * path because the rocklet's `HOME` and work dir still name it. Crash-safe in either order: before
 * the rename the pool's start-up sweep removes the slot, after it `list()` sees the sandbox.
 *
 * Synchronous on purpose: five metadata syscalls of a few µs each. Through the libuv thread pool
 * (4 threads shared with every other fs call) a burst of 100 creates queued them for 0.3–0.8 s.
 */
export function adoptWarmRocklet(rootDir: string, warm: WarmRocklet, state: LocalSandboxState): void {
  const target = sandboxPaths(rootDir, state.sandboxId).dir;
  const stateFile = join(warm.dir, 'sandbox.json');
  writeFileSync(`${stateFile}.${process.pid}.tmp`, JSON.stringify(state));
  renameSync(`${stateFile}.${process.pid}.tmp`, stateFile);
  try {
    renameSync(warm.dir, target);
  } catch (err) {
    // Usually nothing is at the target; a stateless leftover directory is replaced.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR') throw err;
    rmSync(target, { recursive: true, force: true });
    renameSync(warm.dir, target);
  }
  symlinkSync(relative(dirname(warm.dir), target), warm.dir);
}
