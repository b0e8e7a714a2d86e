import type { IsAliveResponse, Phases, SandboxStartResponse, SandboxStatus } from '@rock/contracts';
import { arun, type ArunOptions, type ArunResult } from './arun';
import { resolveClientOptions, type ClientOptions } from './client.config';
import { BadRequestError, InternalError } from './errors';
import { SandboxCommands, type CreateSessionRequest, type ExecuteRequest, type ExecuteResult, type Observation, type SessionAction } from './sandbox-commands';
import { SandboxFiles, type TransferOptions } from './sandbox-files';
import { RockTransport } from './transport';

/** How to create a sandbox; every field but `image` is optional. */
export interface SandboxOptions extends ClientOptions {
  /** OCI image reference (required for `start`, not for `attach`). */
  image?: string;
  /** Caller-chosen id (`[a-z0-9][a-z0-9-]{0,62}`); default: the server picks one. */
  sandboxId?: string;
  /** Docker size syntax, e.g. `"2g"`. */
  memory?: string;
  cpus?: number;
  /** Idle time after which the server stops the sandbox (rounded up to whole minutes). */
  autoClearSeconds?: number;
  /** Seconds for image pull + start (server default when unset). */
  startupTimeout?: number;
  /** Environment injected into the sandbox (merged under per-call env). */
  env?: Record<string, string>;
  /** Labels, listable and filterable. */
  metadata?: Record<string, string>;
}

/** Options of {@link Sandbox.start}. */
export interface StartOptions {
  /** Called with every status seen while waiting. */
  onProgress?: (status: SandboxStatus) => void;
}

/** The first failed or timed-out start phase, with its message. */
export function failedStartPhase(phases: Phases): { phase: string; message: string } | null {
  for (const [phase, value] of Object.entries(phases)) {
    if (value.status === 'failed' || value.status === 'timeout') return { phase, message: value.message };
  }
  return null;
}

/**
 * One ROCK sandbox. `start()` creates it (or `attach(id)` binds to an existing one); then run
 * commands, sessions and file transfers through it; `stop()` ends it.
 */
export class Sandbox {
  private id: string | null;
  private readonly transport: RockTransport;
  private readonly commands: SandboxCommands;
  private readonly files: SandboxFiles;

  /** A handle that is not started yet: call {@link Sandbox.start}. */
  constructor(readonly options: SandboxOptions = {}) {
    this.transport = new RockTransport(resolveClientOptions(options));
    this.id = null;
    const id = (): string => this.sandboxId;
    this.commands = new SandboxCommands(this.transport, id);
    this.files = new SandboxFiles(this.transport, this.commands, id);
  }

  /** A handle on an existing sandbox (no request is made). */
  static attach(sandboxId: string, options: ClientOptions = {}): Sandbox {
    const sandbox = new Sandbox(options);
    sandbox.id = sandboxId;
    return sandbox;
  }

  /** The sandbox id; throws before `start()`/`attach()`. */
  get sandboxId(): string {
    if (this.id === null) throw new BadRequestError('sandbox not started: call start() or Sandbox.attach(id) first');
    return this.id;
  }

  /**
   * Creates the sandbox (`start_async`) and polls `get_status` (100 ms growing to 2 s) until it
   * runs. Fails as soon as a start phase fails, with that phase's message, or after
   * `startupTimeout` + 60 s.
   */
  async start(options: StartOptions = {}): Promise<SandboxStatus> {
    const o = this.options;
    if (!o.image) throw new BadRequestError('image: is required to start a sandbox');
    const started = await this.transport.envelope<SandboxStartResponse>('start_async', {
      body: {
        image: o.image,
        sandbox_id: o.sandboxId,
        memory: o.memory,
        cpus: o.cpus,
        auto_clear_time_minutes: o.autoClearSeconds === undefined ? undefined : Math.max(1, Math.ceil(o.autoClearSeconds / 60)),
        startup_timeout: o.startupTimeout,
        env: o.env,
        metadata: o.metadata,
      },
    });
    this.id = started.sandbox_id;
    return this.waitUntilRunning(((o.startupTimeout ?? 180) + 60) * 1000, options.onProgress);
  }

  private async waitUntilRunning(budgetMs: number, onProgress?: StartOptions['onProgress']): Promise<SandboxStatus> {
    const deadline = Date.now() + budgetMs;
    let intervalMs = 100;
    for (;;) {
      const status = await this.getStatus();
      onProgress?.(status);
      const failed = failedStartPhase(status.status);
      if (failed) throw new InternalError(`sandbox ${this.sandboxId} failed to start in ${failed.phase}: ${failed.message || status.failure_reason}`);
      if (status.state === 'running' && status.is_alive) return status;
      if (status.state === 'stopped' || status.state === 'deleted') {
        throw new InternalError(`sandbox ${this.sandboxId} ${status.state} while starting: ${status.failure_reason || 'no reason given'}`);
      }
      if (Date.now() + intervalMs > deadline) throw new InternalError(`sandbox ${this.sandboxId} did not run within ${Math.round(budgetMs / 1000)} s`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      intervalMs = Math.min(Math.round(intervalMs * 1.5), 2_000);
    }
  }

  /** Full status, also of a stopped sandbox (`include_all_states`). */
  getStatus(): Promise<SandboxStatus> {
    return this.transport.envelope<SandboxStatus>('get_status', {
      method: 'GET',
      query: { sandbox_id: this.sandboxId, include_all_states: true },
      idempotent: true,
    });
  }

  /** `true` when rocklet answers; never throws for a dead or unknown sandbox. */
  async isAlive(): Promise<boolean> {
    const result = await this.transport.envelope<IsAliveResponse>('is_alive', { method: 'GET', query: { sandbox_id: this.sandboxId }, idempotent: true });
    return result.is_alive;
  }

  /** Stops the sandbox and waits until its resources are gone. Idempotent. */
  async stop(): Promise<void> {
    await this.transport.envelope('stop', { body: { sandbox_id: this.sandboxId }, idempotent: true, timeoutMs: 120_000 });
  }

  /** Deletes the sandbox record (stopping it first). Idempotent. */
  async delete(): Promise<void> {
    await this.transport.envelope('delete', { body: { sandbox_id: this.sandboxId }, idempotent: true, timeoutMs: 120_000 });
  }

  /** Runs one command outside any session. */
  execute(request: ExecuteRequest): Promise<ExecuteResult> {
    return this.commands.execute(request);
  }

  /** Opens a persistent bash session (a second session of the same name is a BadRequestError). */
  createSession(request: CreateSessionRequest): Promise<{ output: string }> {
    return this.commands.createSession(request);
  }

  /** Closes a session and its shell. */
  closeSession(session: string): Promise<void> {
    return this.commands.closeSession(session);
  }

  /** Runs one command line in a session; `check: 'raise'` (default) throws CommandError on a non-zero exit. */
  runInSession(action: SessionAction): Promise<Observation> {
    return this.commands.runInSession(action);
  }

  /** ROCK's `arun`: see {@link ArunOptions}. `normal` throws CommandError on a non-zero exit; `nohup` returns the real exit code. */
  arun(command: string, options: ArunOptions = {}): Promise<ArunResult> {
    return arun(this.commands, command, options);
  }

  /**
   * A text file's content (UTF-8); a missing file is a BadRequestError. ROCK's SDK form
   * `readFile({ path })` answers `{ content }`; the shorthand `readFile(path)` answers the string.
   */
  readFile(request: { path: string }): Promise<{ content: string }>;
  readFile(path: string): Promise<string>;
  async readFile(request: string | { path: string }): Promise<string | { content: string }> {
    if (typeof request === 'string') return this.files.readFile(request);
    return { content: await this.files.readFile(request.path) };
  }

  /** Writes a text file, creating parent directories: `writeFile({ path, content })` (ROCK's SDK form) or `writeFile(path, content)`. */
  writeFile(request: { path: string; content: string }): Promise<void>;
  writeFile(path: string, content: string): Promise<void>;
  writeFile(request: string | { path: string; content: string }, content?: string): Promise<void> {
    if (typeof request === 'string') return this.files.writeFile(request, content ?? '');
    return this.files.writeFile(request.path, request.content);
  }

  /** Streams a local file into the sandbox. */
  upload(localPath: string, remotePath: string, options?: TransferOptions): Promise<void> {
    return this.files.upload(localPath, remotePath, options);
  }

  /** Streams a sandbox file to a local path. */
  download(remotePath: string, localPath: string, options?: TransferOptions): Promise<void> {
    return this.files.download(remotePath, localPath, options);
  }

  /** Copies a local directory into the sandbox (tar). */
  uploadDir(localDir: string, remoteDir: string, options?: TransferOptions): Promise<void> {
    return this.files.uploadDir(localDir, remoteDir, options);
  }

  /** Copies a sandbox directory to a local directory (tar). */
  downloadDir(remoteDir: string, localDir: string, options?: TransferOptions): Promise<void> {
    return this.files.downloadDir(remoteDir, localDir, options);
  }
}
