import { Inject, Injectable } from '@nestjs/common';
import type {
  CloseSessionResponse,
  CreateSessionResponse,
  ExecuteResponse,
  RunInSessionResponse,
  SandboxCloseSessionRequest,
  SandboxCreateSessionRequest,
  SandboxExecuteRequest,
  SandboxRunInSessionRequest,
} from '@rock/contracts';
import { SandboxAccess, type Caller } from '../infra/sandbox-access';
import { RockletClient } from '../rocklet/rocklet.client';

/** Slack over a command's own timeout before the read service gives up on the rocklet. */
const DEADLINE_SLACK_MS = 15_000;
/** The rocklet's default run_in_session timeout (ROCKLET_SESSION_TIMEOUT) when the request says null. */
const DEFAULT_SESSION_TIMEOUT_S = 1200;
const SESSION_CONTROL_TIMEOUT_MS = 60_000;

function withoutSandboxId<T extends { sandbox_id: string }>(request: T): Omit<T, 'sandbox_id'> {
  const { sandbox_id: _ignored, ...rest } = request;
  return rest;
}

/** The sandbox's create-time env under the call's env (API.md §3). */
function mergedEnv(base: Record<string, string>, call: Record<string, string> | null | undefined): Record<string, string> | null {
  const merged = { ...base, ...(call ?? {}) };
  return Object.keys(merged).length > 0 ? merged : (call ?? null);
}

/** One-shot commands and persistent sessions, forwarded to the sandbox's rocklet (API.md §3, §5). */
@Injectable()
export class CommandService {
  constructor(
    @Inject(SandboxAccess) private readonly access: SandboxAccess,
    @Inject(RockletClient) private readonly rocklets: RockletClient,
  ) {}

  async execute(request: SandboxExecuteRequest, caller: Caller): Promise<ExecuteResponse> {
    const { record, target } = await this.access.running(request.sandbox_id, caller);
    const body = { ...withoutSandboxId(request), env: mergedEnv(record.env, request.env) };
    return this.rocklets.json<ExecuteResponse>(target, {
      operation: 'execute', method: 'POST', path: '/execute', json: body,
      timeoutMs: request.timeout * 1000 + DEADLINE_SLACK_MS,
    });
  }

  async createSession(request: SandboxCreateSessionRequest, caller: Caller): Promise<CreateSessionResponse> {
    const { record, target } = await this.access.running(request.sandbox_id, caller);
    const body = { ...withoutSandboxId(request), env: mergedEnv(record.env, request.env) };
    return this.rocklets.json<CreateSessionResponse>(target, {
      operation: 'create_session', method: 'POST', path: '/create_session', json: body,
      timeoutMs: request.startup_timeout * 1000 + SESSION_CONTROL_TIMEOUT_MS,
    });
  }

  /** `check` is applied by the rocklet: `raise` + non-zero exit comes back as a 6000 failure. */
  async runInSession(request: SandboxRunInSessionRequest, caller: Caller): Promise<RunInSessionResponse> {
    const { target } = await this.access.running(request.sandbox_id, caller);
    const seconds = request.timeout ?? DEFAULT_SESSION_TIMEOUT_S;
    return this.rocklets.json<RunInSessionResponse>(target, {
      operation: 'run_in_session', method: 'POST', path: '/run_in_session', json: withoutSandboxId(request),
      timeoutMs: seconds * 1000 + DEADLINE_SLACK_MS,
    });
  }

  async closeSession(request: SandboxCloseSessionRequest, caller: Caller): Promise<CloseSessionResponse> {
    const { target } = await this.access.running(request.sandbox_id, caller);
    return this.rocklets.json<CloseSessionResponse>(target, {
      operation: 'close_session', method: 'POST', path: '/close_session', json: withoutSandboxId(request),
      timeoutMs: SESSION_CONTROL_TIMEOUT_MS,
    });
  }
}
