import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the local driver records per sandbox in `<rootDir>/<id>/sandbox.json`. */
export interface LocalSandboxState {
  sandboxId: string;
  instance: string;
  image: string;
  /** Process id of the launched process (bwrap or rocklet); also its process group id. */
  pid: number | null;
  /** `/proc/<pid>/stat` start time, so a reused pid is never mistaken for the sandbox. */
  startTime: string | null;
  port: number;
  isolation: 'bwrap' | 'none';
  createdAt: string;
  labels: Record<string, string>;
}

const STATE_FILE = 'sandbox.json';

/** Paths of one sandbox under the driver's root. */
export function sandboxPaths(rootDir: string, sandboxId: string): { dir: string; home: string; state: string; log: string } {
  const dir = join(rootDir, sandboxId);
  return { dir, home: join(dir, 'home'), state: join(dir, STATE_FILE), log: join(dir, 'rocklet.log') };
}

/** Writes the state file atomically (temp file + rename), creating the sandbox directory. */
export async function writeState(rootDir: string, state: LocalSandboxState): Promise<void> {
  const paths = sandboxPaths(rootDir, state.sandboxId);
  await mkdir(paths.dir, { recursive: true });
  const temp = `${paths.state}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(state));
  await rename(temp, paths.state);
}

/** The recorded state, or null when absent or unreadable. */
export async function readState(rootDir: string, sandboxId: string): Promise<LocalSandboxState | null> {
  try {
    const state = JSON.parse(await readFile(sandboxPaths(rootDir, sandboxId).state, 'utf8')) as LocalSandboxState;
    return state.sandboxId === sandboxId ? state : null;
  } catch {
    return null;
  }
}
