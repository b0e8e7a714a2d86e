import { join } from 'node:path';

/** Rocklet started straight through the bundle's loader (no shell in between): argv prefix. */
export function bundleRockletCommand(bundleDir: string): string[] {
  return [
    join(bundleDir, 'lib/ld-linux-x86-64.so.2'),
    '--library-path',
    join(bundleDir, 'lib'),
    join(bundleDir, 'bin/node'),
    join(bundleDir, 'rocklet.js'),
  ];
}

/** Inputs of {@link localLaunch}. */
export interface LocalLaunchInput {
  /** Rocklet argv prefix; `--host` and `--port` are appended. */
  rockletCommand: string[];
  host: string;
  port: number;
  sandboxId: string;
  /** Writable working directory and `HOME`. */
  home: string;
  /** Path of the bwrap binary, or null to run without namespaces. */
  bwrapPath: string | null;
  /** Kill the sandbox when the control plane process dies (bwrap only). */
  dieWithParent: boolean;
}

/**
 * The program and arguments that start one local sandbox. With bwrap the sandbox gets its own
 * pid, ipc and uts namespaces (its init is pid 1, so killing it ends every process inside),
 * a fresh /proc, and the host network (so rocklet's port is reachable). Pure: no I/O.
 */
export function localLaunch(input: LocalLaunchInput): { file: string; args: string[] } {
  const rocklet = [...input.rockletCommand, '--host', input.host, '--port', String(input.port)];
  if (!input.bwrapPath) return { file: rocklet[0], args: rocklet.slice(1) };
  const args = [
    '--dev-bind', '/', '/',
    '--proc', '/proc',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--hostname', input.sandboxId,
    ...(input.dieWithParent ? ['--die-with-parent'] : []),
    '--chdir', input.home,
    '--setenv', 'HOME', input.home,
    '--',
    ...rocklet,
  ];
  return { file: input.bwrapPath, args };
}
