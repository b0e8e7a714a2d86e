import { spawn, type ChildProcess } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { pollUntil, READINESS_BACKOFF, type Clock } from '../poll';
import { probeRocklet } from '../rocklet-probe';
import { RuntimeError } from '../runtime.errors';
import type { LocalSandboxState } from './local-state';
import { descendants, isSameProcess, processesWithEnv, readProcStat } from './proc';

/**
 * Starts `file` as the leader of a new process group (and session), stdout and stderr appended to
 * `logPath`, not keeping the event loop alive. Resolves once it runs; rejects when exec failed.
 */
export async function spawnDetached(
  file: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; logPath: string },
): Promise<ChildProcess> {
  const log = await open(options.logPath, 'a');
  let started: Promise<number>;
  let child: ChildProcess;
  try {
    child = spawn(file, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', log.fd, log.fd] });
    // Listen before the next await: 'spawn'/'error' fire on the next tick.
    started = spawnFailure(child, file);
    started.catch(() => undefined);
  } finally {
    await log.close();
  }
  await started;
  child.unref();
  return child;
}

/** Resolves with the child's pid once it runs; rejects with a clear error when exec failed. */
function spawnFailure(child: ChildProcess, file: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid as number));
    child.once('error', (err) =>
      reject(new RuntimeError('INVALID_SPEC', `Cannot start ${file}: ${err.message}`, { phase: 'container_start', cause: err })),
    );
  });
}

async function logTail(path: string): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    return text.trim().slice(-2000);
  } catch {
    return '';
  }
}

/** Knobs of {@link awaitLocalRocklet}. */
export interface LocalProbeOptions {
  clock: Clock;
  probeTimeoutMs: number;
  logPath: (sandboxId: string) => string;
}

/**
 * Polls rocklet's `/is_alive` on a growing interval until it answers; rejects with
 * `SANDBOX_EXITED` (with the log tail) as soon as the process ends, or `STARTUP_TIMEOUT`.
 */
export async function awaitLocalRocklet(
  child: ChildProcess | undefined,
  host: string,
  state: LocalSandboxState,
  deadline: number,
  signal: AbortSignal,
  options: LocalProbeOptions,
): Promise<void> {
  const { clock } = options;
  await pollUntil(
    async () => {
      const budget = Math.max(1, Math.min(options.probeTimeoutMs, deadline - clock.now()));
      if (await probeRocklet(host, state.port, budget)) return true;
      const ended = child ? child.exitCode !== null || child.signalCode !== null : !(await stillRunning(state));
      if (!ended) return undefined;
      const tail = await logTail(options.logPath(state.sandboxId));
      const how = child?.signalCode ? `signal ${child.signalCode}` : `code ${child?.exitCode ?? 'unknown'}`;
      throw new RuntimeError('SANDBOX_EXITED', `Rocklet exited with ${how} before it became ready.${tail ? ` Last output: ${tail}` : ''}`, {
        phase: 'rocklet_ready',
      });
    },
    {
      schedule: READINESS_BACKOFF,
      deadline,
      clock,
      signal,
      onTimeout: () =>
        new RuntimeError('STARTUP_TIMEOUT', `Rocklet did not answer /is_alive on ${host}:${state.port} before the startup deadline.`, {
          phase: 'rocklet_ready',
          transient: true,
        }),
    },
  );
}

async function stillRunning(state: LocalSandboxState): Promise<boolean> {
  return state.pid !== null && state.startTime !== null && isSameProcess(state.pid, state.startTime);
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // ESRCH: already gone.
  }
}

/**
 * SIGKILLs the sandbox's process group, every descendant (PTY sessions run in their own sessions)
 * and every process carrying `markerEntry` in its environment (daemonized ones; null skips that
 * scan, e.g. when a pid namespace already takes them down with its init), then waits up to
 * 5 s until they are gone. The leader is skipped when `pid` no longer is the process that started
 * at `startTime` (a reused pid).
 */
export async function killProcessTree(
  pid: number,
  startTime: string,
  markerEntry: string | null,
  clock: Clock,
): Promise<void> {
  const leaderAlive = await isSameProcess(pid, startTime);
  const targets = new Set(markerEntry ? await processesWithEnv(markerEntry) : []);
  if (leaderAlive) {
    for (const child of await descendants(pid)) targets.add(child);
    kill(-pid);
    kill(pid);
  }
  for (const target of targets) kill(target);
  await pollUntil(async () => ((leaderAlive && (await isSameProcess(pid, startTime))) || (await anyAlive(targets)) ? undefined : true), {
    schedule: READINESS_BACKOFF,
    deadline: clock.now() + 5000,
    clock,
    onTimeout: () => new RuntimeError('RUNTIME_ERROR', `Processes of sandbox leader ${pid} survived SIGKILL for 5 s.`, { transient: true }),
  });
}

async function anyAlive(pids: Iterable<number>): Promise<boolean> {
  for (const pid of pids) if (await readProcStat(pid)) return true;
  return false;
}
