import { lstat, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { WARM_POOL_DIR } from '@rock/runtime';

/** Polls `check` every 50 ms until it holds; throws naming `what` after `deadlineMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not happen within ${deadlineMs} ms`);
}

/** A slot directory's recorded state (`{}` when absent or unreadable). */
export async function slotState(rootDir: string, name: string): Promise<{ sandboxId?: string; pid?: number }> {
  return JSON.parse(await readFile(join(rootDir, WARM_POOL_DIR, name, 'sandbox.json'), 'utf8').catch(() => '{}')) as { sandboxId?: string; pid?: number };
}

/**
 * Directories under `.warm-pool`, split into the pool's own slots (state names the slot) and slots
 * sandboxes took (state names the sandbox), with their recorded pids.
 */
export async function slotDirs(rootDir: string): Promise<{ pooled: Map<string, number>; taken: Map<string, { sandboxId: string; pid: number }> }> {
  const dir = join(rootDir, WARM_POOL_DIR);
  const pooled = new Map<string, number>();
  const taken = new Map<string, { sandboxId: string; pid: number }>();
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!(await lstat(join(dir, name)).catch(() => null))?.isDirectory()) continue;
    const state = await slotState(rootDir, name);
    if (!state.pid || !state.sandboxId) continue;
    if (state.sandboxId === name) pooled.set(name, state.pid);
    else taken.set(name, { sandboxId: state.sandboxId, pid: state.pid });
  }
  return { pooled, taken };
}
