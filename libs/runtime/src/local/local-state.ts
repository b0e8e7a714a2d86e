import { mkdir, readFile, readlink, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

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
  /**
   * `NAME=value` every process of the sandbox inherits (destroy finds escaped processes by it).
   * Absent: `ROCK_LOCAL_SANDBOX=<instance>/<sandboxId>`. A rocklet taken from the warm pool keeps
   * the pool slot's `ROCK_LOCAL_WARM=<instance>/<slot>`.
   */
  marker?: string;
  /** Earlier layout: a taken warm-pool slot's path left as a symlink to this sandbox's directory. */
  alias?: string;
  /**
   * A sandbox that took a warm-pool rocklet: the slot directory it keeps running in
   * (`<root>/.warm-pool/<slot>`); `<root>/<sandboxId>` is a symlink to it.
   */
  slotDir?: string;
  /**
   * Warm-pool slots and sandboxes that took one: the process that owns the slot (pid + start time).
   * A dead owner marks a slot stale unless `<root>/<sandboxId>` links to it (see `persistAdoption`).
   */
  owner?: { pid: number; startTime: string };
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
  await writeStateFile(paths.state, state);
}

/** Writes `state` to the state file at `path` atomically (the directory must exist). */
export async function writeStateFile(path: string, state: LocalSandboxState): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(state));
  await rename(temp, path);
}

/** The state file at `path` whatever sandbox id it names, or null when absent or unreadable. */
export async function readStateFile(path: string): Promise<LocalSandboxState | null> {
  try {
    const state = JSON.parse(await readFile(path, 'utf8')) as LocalSandboxState | null;
    return state && typeof state === 'object' && typeof state.sandboxId === 'string' ? state : null;
  } catch {
    return null;
  }
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

/** True when `<rootDir>/<sandboxId>` is the link to a warm-pool slot `slotDir` (see `persistAdoption`). */
export async function isLinkedSlot(rootDir: string, sandboxId: string, slotDir: string): Promise<boolean> {
  const target = await readlink(sandboxPaths(rootDir, sandboxId).dir).catch(() => null);
  return target !== null && resolve(rootDir, target) === resolve(slotDir);
}
