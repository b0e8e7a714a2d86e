import { readFileSync } from 'node:fs';

/** Whether `pid` exists and is not a zombie (an exited child nobody reaped yet counts as gone). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Polls `check` every `intervalMs` until it holds or `deadlineMs` passes; resolves with its last answer. */
export async function waitUntil(check: () => boolean, deadlineMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, intervalMs));
  return check();
}
