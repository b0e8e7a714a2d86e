import { rm, symlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { RuntimeError } from '../runtime.errors';
import type { SandboxSpec } from '../runtime.types';
import { readState, sandboxPaths, writeStateFile, type LocalSandboxState } from './local-state';
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

/**
 * The sandbox's state once it owns the pooled rocklet `warm`. The rocklet stays in its slot
 * directory (`slotDir`): its `HOME`, work dir, cwd and log file are there, so nothing it uses
 * moves while it serves. Known weak point: `$HOME` (`<root>/.warm-pool/<slot>/home`) and, under
 * bwrap, the host name (`<slot>`) name the slot, where a cold sandbox shows `<root>/<id>/home` and
 * `<id>`. Both are fixed when the rocklet boots (env, uts namespace); changing them later costs a
 * process per create (e.g. `nsenter … hostname`), not cheap enough for the write path.
 * `owner` (the pool's process) stays: until the sandbox link exists, a dead owner marks the slot stale.
 */
export function adoptedState(warm: WarmRocklet, base: LocalSandboxState): LocalSandboxState {
  return {
    ...base,
    pid: warm.pid,
    startTime: warm.startTime,
    port: warm.port,
    isolation: warm.isolation,
    marker: warm.marker,
    slotDir: warm.dir,
    owner: warm.owner,
  };
}

/** The link `<rootDir>/<sandboxId>` points here (relative, so the root may move). */
function linkTarget(rootDir: string, slotDir: string): string {
  return relative(rootDir, slotDir);
}

/**
 * Makes an adopted sandbox durable, in the background (the create has answered already): writes
 * its state into the slot (temp file + rename), then links `<rootDir>/<sandboxId>` → the slot, so
 * `list()`, `inspect()`, `destroy()` and logs (`<rootDir>/<id>/rocklet.log`) find it by id like a
 * cold sandbox. Runs through the libuv thread pool and is awaited by nobody on the create's path.
 *
 * Crash windows (the control plane killed -9): before the state lands, the slot still holds the
 * pool's state with a dead owner; after it, the slot holds the sandbox's state but no link points
 * at it. Either way the pool's start-up sweep kills the rocklet and removes the slot, and the
 * reconciler then marks the registry record `lost` (a running record without a resource). That is
 * acceptable: the window is the few ms after the create answered, the sandbox had not been used
 * yet, and with bwrap's die-with-parent every sandbox of the dead control plane is gone anyway
 * (they all become `stopped`). What is never possible is a live rocklet nobody can find.
 *
 * Something already at `<rootDir>/<sandboxId>` that the runtime did not know of at hand-out (the
 * index checks known names first): a dangling link or a directory without a state file is
 * replaced; a state file (another instance's sandbox, or a leftover) is never clobbered: rejects
 * with CONFLICT and the caller drops the adopted rocklet.
 */
export async function persistAdoption(rootDir: string, state: LocalSandboxState): Promise<void> {
  if (!state.slotDir) throw new RuntimeError('RUNTIME_ERROR', `sandbox ${state.sandboxId} has no warm-pool slot to persist`);
  await writeStateFile(join(state.slotDir, 'sandbox.json'), state);
  const link = sandboxPaths(rootDir, state.sandboxId).dir;
  const target = linkTarget(rootDir, state.slotDir);
  try {
    await symlink(target, link);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (await readState(rootDir, state.sandboxId)) {
    throw new RuntimeError('CONFLICT', `Sandbox directory ${state.sandboxId} appeared while a pooled rocklet was handed to it; it is left alone.`);
  }
  await rm(link, { recursive: true, force: true });
  await symlink(target, link);
}
