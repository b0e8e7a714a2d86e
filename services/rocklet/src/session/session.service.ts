import { mkdir, chmod } from 'node:fs/promises';
import {
  RockletErrorClass,
  type CreateSessionRequest,
  type CreateSessionResponse,
  type RunInSessionRequest,
  type RunInSessionResponse,
} from '@rock/contracts';
import { nonZeroExit, RockletError, sessionExists, sessionNotFound } from '../errors';
import type { RockletConfig } from '../rocklet.config';
import { shellQuote } from './marker';
import { inheritedSessionEnv } from './session-env';
import { ShellSession } from './shell-session';
import { lookupUser, type UserAccount } from './user-account';

/** Startup waits at least this long whatever the client asks (a loaded host spawns slowly). */
const MIN_STARTUP_MS = 5_000;

/**
 * Named shell sessions. Decisions (documented in the README of the service):
 * - a command sent to a session that is already running one is rejected (`rocklet.SessionBusy`,
 *   naming the running command and when its timeout frees the session), not queued: the caller
 *   owns ordering, and a queue would hide a stuck session;
 * - the shell's environment: see {@link inheritedSessionEnv} (`env_enable`), the request's `env`
 *   on top;
 * - `check: "raise"` with a non-zero exit answers 511 `rocklet.NonZeroExitCodeError` carrying the
 *   output and exit code (SWE-ReX); `silent` returns the code; `ignore` returns `exit_code: null`;
 * - a timeout interrupts the command and answers 504; the session stays usable.
 */
export class SessionService {
  private readonly sessions = new Map<string, ShellSession>();
  private readonly starting = new Set<string>();
  private workDirReady: Promise<void> | null = null;

  constructor(private readonly config: RockletConfig) {}

  async create(req: CreateSessionRequest): Promise<CreateSessionResponse> {
    if (this.sessions.has(req.session) || this.starting.has(req.session)) throw sessionExists(req.session);
    this.starting.add(req.session);
    try {
      await this.ensureWorkDir();
      const session = await ShellSession.start(
        {
          name: req.session,
          shell: this.config.shell,
          env: { ...inheritedSessionEnv(this.config.childEnv), ...(req.env ?? {}) },
          user: this.resolveUser(req.remote_user ?? null),
          workDir: this.config.workDir,
          maxOutputBytes: this.config.maxOutputBytes,
        },
        Math.max(MIN_STARTUP_MS, req.startup_timeout * 1000),
      );
      const output = await this.sourceStartupFiles(session, req.startup_source);
      this.sessions.set(req.session, session);
      session.onExit(() => {
        if (this.sessions.get(req.session) === session) this.sessions.delete(req.session);
      });
      return { output, session_type: 'bash' };
    } finally {
      this.starting.delete(req.session);
    }
  }

  async run(req: RunInSessionRequest): Promise<RunInSessionResponse> {
    const session = this.get(req.session);
    const timeoutMs = (req.timeout ?? this.config.defaultSessionTimeoutSec) * 1000;
    const result = req.is_interactive_command
      ? await session.sendInteractive(req.command, req.expect, timeoutMs)
      : req.is_interactive_quit
        ? await session.quitInteractive(req.command, timeoutMs)
        : await session.runCommand(req.command, timeoutMs);
    const exitCode = req.check === 'ignore' ? null : result.exitCode;
    if (req.check === 'raise' && exitCode !== null && exitCode !== 0) {
      throw nonZeroExit(req.error_msg, exitCode, result.output);
    }
    return {
      session_type: 'bash',
      output: result.output,
      exit_code: exitCode,
      failure_reason: '',
      expect_string: result.expectString,
      ...(result.truncated ? { truncated: true } : {}),
    };
  }

  /** Hangs the session up (SIGHUP: jobs end, `nohup`'ed ones survive). */
  async close(name: string): Promise<void> {
    const session = this.get(name);
    this.sessions.delete(name);
    await session.hangUp();
  }

  /** POST /close: hangs up every session. */
  async hangUpAll(): Promise<number> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((session) => session.hangUp()));
    return all.length;
  }

  /** Shutdown (SIGTERM): SIGKILLs every session and every process started from it. */
  killAll(): number {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const session of all) session.close();
    return all.length;
  }

  get size(): number {
    return this.sessions.size;
  }

  private get(name: string): ShellSession {
    const session = this.sessions.get(name);
    if (!session || !session.alive) throw sessionNotFound(name);
    return session;
  }

  private resolveUser(name: string | null): UserAccount | null {
    if (name === null) return null;
    const user = lookupUser(name);
    if (!user) {
      throw new RockletError(RockletErrorClass.InvalidParameter, `remote_user: user '${name}' does not exist in /etc/passwd`);
    }
    return user.uid === process.getuid?.() ? null : user;
  }

  private async sourceStartupFiles(session: ShellSession, paths: readonly string[]): Promise<string> {
    const outputs: string[] = [];
    for (const path of paths) {
      const result = await session.runCommand(`. ${shellQuote(path)}`, this.config.defaultSessionTimeoutSec * 1000).catch((e: unknown) => {
        session.close();
        throw e;
      });
      if (result.exitCode !== 0) {
        session.close();
        throw new RockletError(
          RockletErrorClass.SessionStartFailed,
          `startup_source '${path}' failed with exit code ${result.exitCode}: ${result.output}`,
          { path, exit_code: result.exitCode },
        );
      }
      if (result.output) outputs.push(result.output);
    }
    return outputs.join('\n');
  }

  private ensureWorkDir(): Promise<void> {
    this.workDirReady ??= (async () => {
      await mkdir(this.config.workDir, { recursive: true });
      await chmod(this.config.workDir, 0o755).catch(() => undefined);
    })();
    return this.workDirReady;
  }
}
