import { findRepoRoot } from '@rock/config';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root, whether this runs from test/support (jest) or dist/test/support (node). */
export const REPO_ROOT = findRepoRoot(__dirname);

/** The newest modification time (ms) of any file below `dir`; 0 when it has none or does not exist. */
export function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether the compiled `entry` exists and is at least as new as every file below `sourceDirs`. */
export function isBuildFresh(entry: string, sourceDirs: readonly string[]): boolean {
  return existsSync(entry) && statSync(entry).mtimeMs >= Math.max(0, ...sourceDirs.map(newestMtime));
}

/** Compiles services, libs and test/support to dist/ with `node scripts/build.mjs` (swc, about a second). */
export function buildDistNow(timeoutMs = 120_000): void {
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'ignore', timeout: timeoutMs });
}
