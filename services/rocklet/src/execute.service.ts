import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { constants } from 'node:os';
import { RockletErrorClass, type ExecuteRequest, type ExecuteResponse } from '@rock/contracts';
import { nonZeroExit, RockletError, RockletTimeoutError } from './errors';
import { HeadTailBuffer } from './output';
import type { RockletConfig } from './rocklet.config';
import { signalGroup } from './session/process-group';

interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  spawnError: NodeJS.ErrnoException | null;
}

/**
 * One-shot commands. An argv array runs without a shell; a string runs through `/bin/sh -c` only
 * with `shell: true` (API.md §3: with `shell: false` a string is the program name, nothing is
 * split). The child gets its own process group; on timeout the whole group is SIGKILLed and the
 * request answers 504. Each stream keeps its first and last `maxOutputBytes/2` bytes.
 */
export class ExecuteService {
  private readonly running = new Set<number>();

  constructor(private readonly config: RockletConfig) {}

  /** SIGKILLs the process group of every command still running (shutdown). */
  killAll(): number {
    const groups = [...this.running];
    for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
    return groups.length;
  }

  async execute(req: ExecuteRequest): Promise<ExecuteResponse> {
    const argv = this.argvOf(req);
    if (req.cwd) await this.assertDirectory(req.cwd);
    const stdout = new HeadTailBuffer(this.config.maxOutputBytes);
    const stderr = new HeadTailBuffer(this.config.maxOutputBytes);
    const outcome = await this.run(argv, req, stdout, stderr);
    if (outcome.spawnError) throw this.spawnFailure(argv[0], req, outcome.spawnError);
    if (outcome.timedOut) {
      throw new RockletTimeoutError(
        `command ${JSON.stringify(argv[0])} timed out after ${req.timeout} s; its process group was killed`,
      );
    }
    // A signal death is reported like a shell does: 128 + signal number.
    const exitCode = outcome.code ?? 128 + signalNumber(outcome.signal);
    const truncated = stdout.truncated || stderr.truncated;
    const response: ExecuteResponse = {
      stdout: stdout.toString(),
      stderr: stderr.toString(),
      exit_code: exitCode,
      ...(truncated ? { truncated: true } : {}),
    };
    if (req.check && exitCode !== 0) throw nonZeroExit(req.error_msg, exitCode, `${response.stdout}${response.stderr}`);
    return response;
  }

  private argvOf(req: ExecuteRequest): string[] {
    if (Array.isArray(req.command)) return req.command;
    return req.shell ? ['/bin/sh', '-c', req.command] : [req.command];
  }

  private async assertDirectory(cwd: string): Promise<void> {
    const info = await stat(cwd).catch(() => null);
    if (!info?.isDirectory()) {
      throw new RockletError(RockletErrorClass.InvalidParameter, `cwd: directory '${cwd}' does not exist`, { cwd });
    }
  }

  private run(argv: string[], req: ExecuteRequest, stdout: HeadTailBuffer, stderr: HeadTailBuffer): Promise<ChildOutcome> {
    return new Promise((resolve) => {
      const child = spawn(argv[0], argv.slice(1), {
        cwd: req.cwd ?? undefined,
        env: { ...this.config.childEnv, ...(req.env ?? {}) },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const pgid = child.pid;
      if (pgid) this.running.add(pgid);
      let timedOut = false;
      let spawnError: NodeJS.ErrnoException | null = null;
      const timer = setTimeout(() => {
        timedOut = true;
        if (child.pid) signalGroup(child.pid, 'SIGKILL');
      }, req.timeout * 1000);
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      let settled = false;
      const finish = (outcome: ChildOutcome): void => {
        if (settled) return;
        settled = true;
        if (pgid) this.running.delete(pgid);
        clearTimeout(timer);
        resolve(outcome);
      };
      child.on('error', (err) => {
        spawnError = err;
        if (!child.pid) finish({ code: null, signal: null, timedOut, spawnError });
      });
      // 'close' waits for the pipes: a daemon that keeps stdout open keeps the call open (as
      // subprocess.run does); redirect its output to detach it.
      child.on('close', (code, signal) => finish({ code, signal, timedOut, spawnError }));
    });
  }

  private spawnFailure(program: string, req: ExecuteRequest, err: NodeJS.ErrnoException): RockletError {
    const hint =
      typeof req.command === 'string' && !req.shell && /\s/.test(req.command)
        ? ' (a string command with shell: false is the program name; pass an argv array or shell: true)'
        : '';
    const reason = err.code === 'ENOENT' ? 'not found' : err.code === 'EACCES' ? 'not executable' : err.message;
    return new RockletError(RockletErrorClass.CommandNotFound, `command ${JSON.stringify(program)}: ${reason}${hint}`, {
      errno: err.code ?? '',
    });
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal ? (constants.signals[signal] ?? 0) : 0;
}
