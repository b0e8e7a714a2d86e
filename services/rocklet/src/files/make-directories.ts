import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * `mkdir -p` that always settles. Node 20's `mkdir(dir, { recursive: true })` never settles (and
 * keeps a libuv thread spinning) when mkdir answers ENOENT under an existing parent, as anywhere
 * in /proc; a client path like `/proc/x/file` must get an error instead of wedging the rocklet.
 * Rejects like `mkdir` does: EEXIST when `dir` (or a parent) exists but is not a directory.
 */
export async function makeDirectories(dir: string): Promise<void> {
  try {
    await mkdir(dir);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return existingDirectory(dir, err);
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw err;
    await makeDirectories(parent);
  }
  // The parent exists now; a second ENOENT (as in /proc) is final.
  await mkdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? existingDirectory(dir, err) : Promise.reject(err)));
}

async function existingDirectory(dir: string, eexist: unknown): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw eexist;
}
