import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

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

/** How {@link runToEnd} ended: exit code (null when killed by a signal) and all output. */
export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunToEndOptions {
  cwd?: string;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed (empty by default). */
  input?: string;
  /** SIGKILL after this long (default 120 s). */
  timeoutMs?: number;
}

/** Runs `command` to its end, collecting stdout and stderr; rejects only when it cannot be spawned. */
export function runToEnd(command: string, args: readonly string[], options: RunToEndOptions = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // a child that exits without reading its stdin
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Env markers the local runtime puts on sandbox processes: `ROCK_LOCAL_SANDBOX=<instance>/<id>` on
 * cold-booted sandboxes, `ROCK_LOCAL_WARM=<instance>/<slot>` on warm-pool rocklets (also after one is
 * handed out as a sandbox).
 */
export const LOCAL_SANDBOX_MARKERS = ['ROCK_LOCAL_SANDBOX', 'ROCK_LOCAL_WARM'] as const;

/** Live host processes carrying one of `markers` for `instance` (zombies excluded). */
export function markedProcesses(instance: string, markers: readonly string[] = LOCAL_SANDBOX_MARKERS): number[] {
  const prefixes = markers.map((name) => `${name}=${instance}/`);
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => {
      try {
        const environ = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
        return environ.some((v) => prefixes.some((p) => v.startsWith(p))) && processAlive(Number(pid));
      } catch {
        return false; // exited meanwhile, or not ours to read
      }
    })
    .map(Number);
}

/** `promise`, or a rejection naming `what` after `ms`; the timer never keeps the process alive. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
