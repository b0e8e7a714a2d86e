import { spawn as spawnChild } from 'node:child_process';
import { chmod, unlink, writeFile } from 'node:fs/promises';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as pty from 'node-pty';
import { RockletErrorClass } from '@rock/contracts';
import { RockletError, RockletTimeoutError } from '../errors';
import { cleanTerminalOutput, HeadTailBuffer } from '../output';
import {
  exitPrinter,
  newSessionMarkers,
  pipeStatusLine,
  runLine,
  setupLine,
  statusTrailer,
  stripEcho,
  type SessionMarkers,
} from './marker';
import { foregroundGroupOf, signalGroup, signalSession } from './process-group';
import { PtyStream, type WaitOutcome } from './pty-stream';
import { isPlainSimpleCommand } from './syntax';
import type { UserAccount } from './user-account';

export interface ShellSessionOptions {
  name: string;
  /** /bin/bash or a POSIX sh (busybox ash); the protocol uses only POSIX sh builtins. */
  shell: string;
  env: Record<string, string>;
  user: UserAccount | null;
  workDir: string;
  maxOutputBytes: number;
}

/** The call a session is busy with (named in the answer to a second call). */
interface CurrentCall {
  command: string;
  startedAt: number;
  timeoutMs: number;
}

export interface SessionRunResult {
  output: string;
  /** null when the shell did not report one (interactive commands that did not return). */
  exitCode: number | null;
  expectString: string;
  truncated: boolean;
}

/** Grace periods for the protocol's own round trips (not the user's command). */
const SETTLE_MS = 5_000;
const INTERRUPT_MS = 1_000;
const SYNTAX_CHECK_MS = 5_000;
const HANGUP_MS = 1_000;

let scriptCounter = 0;

/**
 * A persistent shell on a PTY (SWE-ReX BashSession semantics). Each command is staged in a script
 * file and sourced (`. file`), so `cd`/exports persist, heredocs and multi-line text work, and the
 * terminal line never exceeds the tty's canonical limit. The exit code is printed between markers.
 */
export class ShellSession {
  private readonly stream: PtyStream;
  /** bash: PIPESTATUS is kept across calls too (POSIX sh has none). */
  private readonly bash: boolean;
  private current: CurrentCall | null = null;
  private exited = false;
  private readonly exitListeners: Array<() => void> = [];

  private constructor(
    readonly options: ShellSessionOptions,
    private readonly pty: pty.IPty,
    private readonly markers: SessionMarkers,
  ) {
    this.stream = new PtyStream(markers);
    this.bash = options.shell.endsWith('bash');
    pty.onData((data) => this.stream.push(data as unknown as Buffer));
    pty.onExit(() => {
      this.exited = true;
      this.stream.close();
      for (const listener of this.exitListeners) listener();
    });
  }

  /** Spawns the shell and waits (until `startupTimeoutMs`) for the marker prompt. */
  static async start(options: ShellSessionOptions, startupTimeoutMs: number): Promise<ShellSession> {
    const isBash = options.shell.endsWith('bash');
    const home = options.user && isDirectory(options.user.home) ? options.user.home : undefined;
    const term = pty.spawn(options.shell, isBash ? ['--noprofile', '--norc', '-i'] : ['-i'], {
      name: options.env.TERM ?? 'dumb',
      cols: 200,
      rows: 50,
      cwd: home ?? (options.user ? '/' : process.cwd()),
      env: { TERM: 'dumb', ...options.env, ...(options.user ? userEnv(options.user) : {}) },
      encoding: null,
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    });
    const session = new ShellSession(options, term, newSessionMarkers());
    session.write(`${setupLine(session.markers, session.bash)}\n`);
    const printed = new HeadTailBuffer(4096);
    const ready = await session.stream.wait({ prompt: true, sink: printed, deadline: Date.now() + startupTimeoutMs });
    if (ready.kind !== 'prompt') {
      session.close();
      const why = ready.kind === 'closed' ? 'exited during startup' : `did not become ready within ${startupTimeoutMs} ms`;
      throw new RockletError(
        RockletErrorClass.SessionStartFailed,
        `session '${options.name}': shell ${options.shell} ${why}; it printed: ${JSON.stringify(cleanTerminalOutput(printed.toString()))}`,
        { session: options.name },
      );
    }
    return session;
  }

  get pid(): number {
    return this.pty.pid;
  }

  get busy(): boolean {
    return this.current !== null;
  }

  get alive(): boolean {
    return !this.exited;
  }

  onExit(listener: () => void): void {
    this.exitListeners.push(listener);
  }

  /** Runs one command line to completion; on timeout interrupts it and throws a 504 error. */
  async runCommand(command: string, timeoutMs: number): Promise<SessionRunResult> {
    return this.exclusive(command, timeoutMs, async () => {
      const { heredocAtEnd } = await this.checkSyntax(command);
      // A here-document left open at the end would swallow the trailer as its text.
      const script = await this.stageScript(command, heredocAtEnd ? '' : statusTrailer(this.bash));
      try {
        this.stream.discard();
        const sink = new HeadTailBuffer(this.options.maxOutputBytes);
        const line = runLine(script);
        this.write(`${line}\n`);
        const first = await this.stream.wait({ exit: true, prompt: true, sink, deadline: Date.now() + timeoutMs });
        const exitCode = await this.settle(first, command, timeoutMs);
        return { output: this.clean(sink, line), exitCode, expectString: '', truncated: sink.truncated };
      } finally {
        await unlink(script).catch(() => undefined);
      }
    });
  }

  /**
   * Sends `line` as typed input (to the shell or to the interactive program it runs) and waits
   * for one of `expect` or the prompt. Not finding one before the deadline is not an error
   * (SWE-ReX): `expectString` is then "".
   */
  async sendInteractive(line: string, expect: readonly string[], timeoutMs: number): Promise<SessionRunResult> {
    return this.exclusive(line, timeoutMs, async () => {
      this.stream.discard();
      const sink = new HeadTailBuffer(this.options.maxOutputBytes);
      this.write(`${line}\n`);
      const hit = await this.stream.wait({ expect, prompt: true, sink, deadline: Date.now() + timeoutMs });
      if (hit.kind === 'closed') throw this.died();
      const exitCode = hit.kind === 'prompt' ? await this.queryExitCode() : 0;
      const expectString = hit.kind === 'expect' ? hit.matched : '';
      return { output: this.clean(sink, line), exitCode, expectString, truncated: sink.truncated };
    });
  }

  /** Sends `line` to an interactive program expected to exit, waits for the shell prompt. */
  async quitInteractive(line: string, timeoutMs: number): Promise<SessionRunResult> {
    return this.exclusive(line, timeoutMs, async () => {
      this.stream.discard();
      const sink = new HeadTailBuffer(this.options.maxOutputBytes);
      this.write(`${line}\n`);
      const hit = await this.stream.wait({ prompt: true, sink, deadline: Date.now() + timeoutMs });
      if (hit.kind === 'closed') throw this.died();
      if (hit.kind === 'timeout') {
        await this.interrupt();
        throw new RockletTimeoutError(this.timeoutMessage(line, timeoutMs));
      }
      const exitCode = await this.queryExitCode();
      await this.restoreTerminal();
      return { output: this.clean(sink, line), exitCode, expectString: '', truncated: sink.truncated };
    });
  }

  /** Kills the shell and every process in its session, background and nohup'ed jobs included. */
  close(): void {
    if (!this.exited) {
      signalSession(this.pty.pid, () => readdirSync('/proc'));
      try {
        this.pty.kill('SIGKILL');
      } catch {
        // already exited
      }
    }
  }

  /**
   * Ends the session like closing a terminal: SIGHUP to the shell and every job it started (bash
   * does this itself; busybox ash does not, so it is done here via /proc). `nohup`'ed servers
   * survive, as with SWE-ReX. The shell is SIGKILLed if it has not exited by the deadline.
   */
  async hangUp(deadlineMs = HANGUP_MS): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.onExit(resolve));
    signalSession(this.pty.pid, () => readdirSync('/proc'), 'SIGHUP');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deadlineMs)));
    const outcome = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      try {
        this.pty.kill('SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
  }

  /**
   * Runs `work` as the session's only call. A second call is refused, not queued (the caller owns
   * the order); the running call ends by its own timeout at the latest, which frees the session.
   */
  private async exclusive<T>(command: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
    if (this.exited) throw this.died();
    if (this.current) throw this.busyError(this.current);
    this.current = { command, startedAt: Date.now(), timeoutMs };
    try {
      return await work();
    } finally {
      this.current = null;
    }
  }

  private busyError(call: CurrentCall): RockletError {
    const name = this.options.name;
    const ranS = (Date.now() - call.startedAt) / 1000;
    const leftS = Math.max(0, call.timeoutMs / 1000 - ranS);
    return new RockletError(
      RockletErrorClass.SessionBusy,
      `session '${name}' is busy: it has been running ${JSON.stringify(shorten(call.command, 80))} for ${ranS.toFixed(1)} s ` +
        `and is interrupted at its timeout in ${leftS.toFixed(1)} s at the latest; wait for that call to return, then retry, ` +
        `or run this command in another session (create_session)`,
      { session: name, running_command: shorten(call.command, 200), running_for_s: ranS, timeout_left_s: leftS },
    );
  }

  private write(data: string): void {
    this.pty.write(data);
  }

  private async settle(first: WaitOutcome, command: string, timeoutMs: number): Promise<number | null> {
    switch (first.kind) {
      case 'exit':
        await this.stream.wait({ prompt: true, sink: null, deadline: Date.now() + SETTLE_MS });
        if (this.bash && first.pipeStatus.length > 1) await this.restorePipeStatus(first.pipeStatus, first.exitCode);
        return first.exitCode;
      case 'prompt':
        // The shell aborted the line before printing the code (e.g. a POSIX sh syntax error).
        return this.queryExitCode();
      case 'timeout':
        await this.interrupt();
        throw new RockletTimeoutError(this.timeoutMessage(command, timeoutMs));
      default:
        throw this.died();
    }
  }

  /** The user's last command was a pipeline: leave PIPESTATUS as it left it (one fork each). */
  private async restorePipeStatus(statuses: readonly number[], exitCode: number): Promise<void> {
    this.write(`${pipeStatusLine(statuses, exitCode)}\n`);
    await this.stream.wait({ prompt: true, sink: null, deadline: Date.now() + SETTLE_MS });
  }

  private async queryExitCode(): Promise<number | null> {
    this.write(`${exitPrinter(this.markers, this.bash)}\n`);
    const hit = await this.stream.wait({ exit: true, sink: null, deadline: Date.now() + SETTLE_MS });
    if (hit.kind !== 'exit') return null;
    await this.stream.wait({ prompt: true, sink: null, deadline: Date.now() + SETTLE_MS });
    return hit.exitCode;
  }

  /** Interactive programs may turn echo back on; re-apply the session's terminal setup. */
  private async restoreTerminal(): Promise<void> {
    this.write(`${setupLine(this.markers, this.bash)}\n`);
    await this.stream.wait({ prompt: true, sink: null, deadline: Date.now() + SETTLE_MS });
  }

  /**
   * Ctrl-C through the line discipline (SIGINT to the foreground group); if the prompt does not
   * come back, SIGKILL the terminal's foreground process group (tpgid from /proc). If the shell
   * itself is stuck, the session is closed.
   */
  private async interrupt(): Promise<void> {
    this.write('\x03');
    let outcome = await this.stream.wait({ prompt: true, sink: null, deadline: Date.now() + INTERRUPT_MS });
    if (outcome.kind === 'prompt') return;
    const foreground = foregroundGroupOf(this.pty.pid);
    if (foreground !== null) signalGroup(foreground, 'SIGKILL');
    outcome = await this.stream.wait({ prompt: true, sink: null, deadline: Date.now() + INTERRUPT_MS * 2 });
    // A killed full-screen program leaves the terminal raw and echoing: reset it.
    if (outcome.kind === 'prompt') return this.restoreTerminal();
    this.close();
    throw new RockletError(
      RockletErrorClass.SessionDied,
      `session '${this.options.name}' did not recover after interrupting a timed-out command and was closed`,
      { session: this.options.name },
    );
  }

  /**
   * Rejects a syntax error before anything runs. Also tells whether a here-document may be left
   * open at the end: bash warns about it; busybox sh does not, so any `<<` counts there.
   */
  private async checkSyntax(command: string): Promise<{ heredocAtEnd: boolean }> {
    if (isPlainSimpleCommand(command)) return { heredocAtEnd: false };
    const result = await runWithStdin(this.options.shell, ['-n'], command, this.options.env, SYNTAX_CHECK_MS);
    const heredocAtEnd = this.bash ? /here-document/.test(result.stderr) : command.includes('<<');
    if (result.code === 0 || result.code === null) return { heredocAtEnd };
    throw new RockletError(
      RockletErrorClass.BashSyntaxError,
      `syntax error in command: ${result.stderr.trim() || `${this.options.shell} -n exited with ${result.code}`}`,
      { command },
    );
  }

  private async stageScript(command: string, trailer: string): Promise<string> {
    scriptCounter += 1;
    const path = join(this.options.workDir, `cmd-${process.pid}-${scriptCounter}.sh`);
    await writeFile(path, `${command.endsWith('\n') ? command : `${command}\n`}${trailer}`, { mode: 0o644 });
    await chmod(path, 0o644);
    return path;
  }

  private clean(sink: HeadTailBuffer, sentLine: string): string {
    return stripEcho(cleanTerminalOutput(sink.toString()), sentLine);
  }

  private timeoutMessage(command: string, timeoutMs: number): string {
    const shown = shorten(command, 200);
    return `command '${shown}' timed out after ${timeoutMs / 1000} s and was interrupted; session '${this.options.name}' is still usable`;
  }

  private died(): RockletError {
    return new RockletError(
      RockletErrorClass.SessionDied,
      `session '${this.options.name}' has exited (its shell ended: 'exit', or a command failing under 'set -e'); create it again`,
      { session: this.options.name },
    );
  }
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function userEnv(user: UserAccount): Record<string, string> {
  return { HOME: user.home, USER: user.name, LOGNAME: user.name };
}

/** Runs `file args` with `input` on stdin; code null when it could not run or timed out. */
function runWithStdin(
  file: string,
  args: string[],
  input: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnChild(file, args, { env, stdio: ['pipe', 'ignore', 'pipe'], timeout: timeoutMs });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (stderr.length < 4096) stderr += d;
    });
    child.on('error', () => resolve({ code: null, stderr: '' }));
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
