import { spawn } from 'node:child_process';
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
