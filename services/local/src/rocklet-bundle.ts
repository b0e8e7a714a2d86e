import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes sure the rocklet bundle exists at `bundleDir`, building it with
 * `scripts/rocklet-bundle.sh` (its progress lines go to stderr) when missing. Rejects after
 * `deadlineMs` or when the script fails.
 */
export async function ensureRockletBundle(bundleDir: string, repoRoot: string, log: (line: string) => void, deadlineMs = 600_000): Promise<void> {
  if (existsSync(join(bundleDir, 'rocklet.js'))) return;
  log(`rocklet bundle missing at ${bundleDir}; building it (bash scripts/rocklet-bundle.sh)…`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'scripts', 'rocklet-bundle.sh')], { stdio: ['ignore', process.stderr, process.stderr] });
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`rocklet bundle build failed (${signal ?? `exit ${code}`})`));
    });
  });
  if (!existsSync(join(bundleDir, 'rocklet.js'))) throw new Error(`rocklet bundle still missing at ${bundleDir} after the build`);
}
