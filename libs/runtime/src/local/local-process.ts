import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { pollUntil, READINESS_BACKOFF, type Clock } from '../poll';
import { probeRocklet } from '../rocklet-probe';
import { RuntimeError } from '../runtime.errors';
import type { LocalSandboxState } from './local-state';
import { descendants, isSameProcess } from './proc';

/** Resolves with the child's pid once it runs; rejects with a clear error when exec failed. */
export function spawnFailure(child: ChildProcess, file: string): Promise<number> {
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
 * SIGKILLs the sandbox's process group and every descendant (PTY sessions run in their own
 * sessions), then waits up to 5 s until the leader is gone. Does nothing when `pid` no longer is
 * the process that started at `startTime`.
 */
export async function killProcessTree(pid: number, startTime: string, clock: Clock): Promise<void> {
  if (!(await isSameProcess(pid, startTime))) return;
  const tree = await descendants(pid);
  kill(-pid);
  kill(pid);
  for (const child of tree) kill(child);
  await pollUntil(async () => ((await isSameProcess(pid, startTime)) ? undefined : true), {
    schedule: READINESS_BACKOFF,
    deadline: clock.now() + 5000,
    clock,
    onTimeout: () => new RuntimeError('RUNTIME_ERROR', `Process ${pid} survived SIGKILL for 5 s.`, { transient: true }),
  });
}
