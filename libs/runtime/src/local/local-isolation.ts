import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { RuntimeError } from '../runtime.errors';
import type { RuntimeLogger } from '../runtime.types';

/** The isolation knobs of the local runtime's options. */
export interface LocalIsolationOptions {
  rockletCommand: string[];
  isolation?: 'auto' | 'bwrap' | 'none';
  bwrapPath?: string;
}

/**
 * The bwrap path when sandboxes can run in namespaces here, null for plain processes; rejects
 * when the rocklet command is not executable or `bwrap` was required but does not work.
 */
export async function detectLocalIsolation(options: LocalIsolationOptions, logger: RuntimeLogger): Promise<string | null> {
  const rocklet = options.rockletCommand[0];
  await access(rocklet, constants.X_OK).catch(() => {
    throw new RuntimeError('INVALID_SPEC', `Cannot start ${rocklet}: not an executable file (rockletCommand).`, { phase: 'container_start' });
  });
  const mode = options.isolation ?? 'auto';
  const bwrap = options.bwrapPath ?? '/usr/bin/bwrap';
  if (mode !== 'none') {
    if (await bwrapWorks(bwrap)) {
      logger.warn({ runtime: 'local', isolation: 'bwrap' }, 'local runtime: sandboxes share the host filesystem, network and user; isolation is weak');
      return bwrap;
    }
    if (mode === 'bwrap') throw new RuntimeError('INVALID_SPEC', `isolation: bwrap was required but ${bwrap} does not work here`);
  }
  logger.warn({ runtime: 'local', isolation: 'none' }, 'local runtime: sandboxes are plain host processes; there is no isolation');
  return null;
}

/** True when `bwrap` exists and can create the namespaces the driver uses. */
async function bwrapWorks(bwrap: string): Promise<boolean> {
  try {
    await access(bwrap, constants.X_OK);
  } catch {
    return false;
  }
  const args = ['--dev-bind', '/', '/', '--proc', '/proc', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--', '/bin/true'];
  return new Promise<boolean>((resolve) => {
    const child = spawn(bwrap, args, { stdio: 'ignore', timeout: 5000 });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}
