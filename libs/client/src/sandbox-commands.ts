import type { CreateSessionResponse, ExecuteResponse, RunInSessionResponse } from '@rock/contracts';
import { CommandError, RockError } from './errors';
import type { RockTransport } from './transport';

/** `execute` request: one command, no session. */
export interface ExecuteRequest {
  /** A shell line (run through `/bin/sh -c`) or an argv array (run as is). */
  command: string | string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Seconds (default 1200). */
  timeout?: number;
}

/** `execute` answer. */
export interface ExecuteResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  /** `true` when the server capped an output stream (head and tail kept). */
  truncated?: boolean;
}

/** `createSession` request. */
export interface CreateSessionRequest {
  session: string;
  env?: Record<string, string>;
  envEnable?: boolean;
  startupSource?: string[];
  remoteUser?: string;
  startupTimeout?: number;
}

/** `runInSession` request (ROCK's `Action`). */
export interface SessionAction {
  command: string;
  /** Session name (default `default`). */
  session?: string;
  /** Seconds; `undefined` = server default. */
  timeout?: number;
  /** `raise` (default): a non-zero exit throws {@link CommandError}; `silent`: returned; `ignore`: exit code `null`. */
  check?: 'raise' | 'silent' | 'ignore';
  expect?: string[];
}

/** `runInSession` answer. */
export interface Observation {
  output: string;
  exitCode: number | null;
  failureReason: string;
  expectString: string;
  truncated?: boolean;
}

/** HTTP budget of a command call: the command's own timeout plus slack for the round trip. */
export function commandBudgetMs(timeoutSeconds: number | undefined, fallbackSeconds: number): number {
  return ((timeoutSeconds ?? fallbackSeconds) + 30) * 1000;
}

/** The command routes of one sandbox (API.md §3): execute and bash sessions. */
export class SandboxCommands {
  constructor(
    private readonly transport: RockTransport,
    private readonly sandboxId: () => string,
  ) {}

  /** `POST /execute`; a string runs through `/bin/sh -c`, an array as argv. */
  async execute(request: ExecuteRequest): Promise<ExecuteResult> {
    const body = {
      sandbox_id: this.sandboxId(),
      command: request.command,
      shell: typeof request.command === 'string',
      timeout: request.timeout,
      cwd: request.cwd,
      env: request.env,
    };
    const result = await this.transport.envelope<ExecuteResponse & { truncated?: boolean }>('execute', {
      body,
      timeoutMs: commandBudgetMs(request.timeout, 1200),
    });
    const answer: ExecuteResult = { stdout: result.stdout, stderr: result.stderr, exitCode: result.exit_code };
    if (result.truncated) answer.truncated = true;
    return answer;
  }

  /** `POST /create_session`. */
  async createSession(request: CreateSessionRequest): Promise<{ output: string }> {
    const result = await this.transport.envelope<CreateSessionResponse>('create_session', {
      body: {
        sandbox_id: this.sandboxId(),
        session: request.session,
        env: request.env,
        env_enable: request.envEnable,
        startup_source: request.startupSource,
        remote_user: request.remoteUser,
        startup_timeout: request.startupTimeout,
        session_type: 'bash',
      },
      timeoutMs: commandBudgetMs(request.startupTimeout, 10),
    });
    return { output: result.output };
  }

  /** `POST /close_session`. */
  async closeSession(session: string): Promise<void> {
    await this.transport.envelope('close_session', { body: { sandbox_id: this.sandboxId(), session, session_type: 'bash' } });
  }

  /** `POST /run_in_session`; 6xxx failures become {@link CommandError}. */
  async runInSession(action: SessionAction): Promise<Observation> {
    const body = {
      sandbox_id: this.sandboxId(),
      session: action.session ?? 'default',
      command: action.command,
      timeout: action.timeout,
      check: action.check ?? 'raise',
      expect: action.expect,
      action_type: 'bash',
    };
    try {
      const result = await this.transport.envelope<RunInSessionResponse>('run_in_session', { body, timeoutMs: commandBudgetMs(action.timeout, 1200) });
      const observation: Observation = {
        output: result.output,
        exitCode: result.exit_code,
        failureReason: result.failure_reason,
        expectString: result.expect_string,
      };
      if (result.truncated) observation.truncated = true;
      return observation;
    } catch (error) {
      if (error instanceof CommandError) throw error;
      if (error instanceof RockError && error.code >= 6000) throw new CommandError(error.message, null, '', error.code);
      throw error;
    }
  }
}
