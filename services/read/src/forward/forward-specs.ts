import {
  GEM_API_PREFIX,
  GemResetRequestSchema,
  GemStepRequestSchema,
  ROUTE_FAILURE_MESSAGES as M,
  SANDBOX_API_PREFIX,
  SandboxCloseSessionRequestSchema,
  SandboxCreateSessionRequestSchema,
  SandboxExecuteRequestSchema,
  SandboxRunInSessionRequestSchema,
} from '@rock/contracts';
import type { PlainRouteDoc } from '@rock/http';
import type { SandboxRecord } from '@rock/registry';
import type { z } from 'zod';

/**
 * One route that names a running sandbox and forwards to one rocklet call, answering the
 * rocklet's success bytes unchanged (bare GEM JSON, or spliced into the sandbox envelope).
 */
export interface ForwardSpec<S extends z.ZodType<{ sandbox_id: string }> = z.ZodType<{ sandbox_id: string }>> {
  /** Full path of the POST route. */
  url: string;
  schema: S;
  /** Rocklet call name: metric label and error text. */
  operation: string;
  rockletPath: string;
  /** `message` of Failed envelopes; `null` for bare routes (GEM: `{detail}` with a real status). */
  failureMessage: string | null;
  /** What a sandbox that is not running cannot do ("run commands in it"). */
  action: string;
  /** Body sent to the rocklet. */
  body(input: z.output<S>, record: SandboxRecord): unknown;
  timeoutMs(input: z.output<S>): number;
  /**
   * When true, a rocklet call error (timeout, other 511, transport) answers Failed with
   * `result: null` and the reason in `error` (run_in_session, API.md §3).
   */
  rockletErrorsAsNullResult?: boolean;
  doc: PlainRouteDoc;
}

/** Slack over a command's own timeout before the read service gives up on the rocklet. */
const DEADLINE_SLACK_MS = 15_000;
/** The rocklet's default run_in_session timeout (ROCKLET_SESSION_TIMEOUT) when the request says null. */
const DEFAULT_SESSION_TIMEOUT_S = 1200;
const SESSION_CONTROL_TIMEOUT_MS = 60_000;
/** Budget of one reset/step (a reset may generate a level, e.g. Sokoban). */
const GEM_CALL_TIMEOUT_MS = 60_000;
const RUN_COMMANDS = 'run commands in it';
const PLAY = 'play its env';

function withoutSandboxId<T extends { sandbox_id: string }>(request: T): Omit<T, 'sandbox_id'> {
  const { sandbox_id: _ignored, ...rest } = request;
  return rest;
}

/** The sandbox's create-time env under the call's env (API.md §3). */
function mergedEnv(base: Record<string, string>, call: Record<string, string> | null | undefined): Record<string, string> | null {
  const merged = { ...base, ...(call ?? {}) };
  return Object.keys(merged).length > 0 ? merged : (call ?? null);
}

/** Keeps each spec's schema type tied to its callbacks. */
function spec<S extends z.ZodType<{ sandbox_id: string }>>(s: ForwardSpec<S>): ForwardSpec {
  return s as unknown as ForwardSpec;
}

const commandTag = ['sandbox commands'];
const gemTag = ['gem'];

/** execute and the session routes (API.md §3), and GEM reset/step (§4). */
export const FORWARD_SPECS: readonly ForwardSpec[] = [
  spec({
    url: `${SANDBOX_API_PREFIX}/execute`, schema: SandboxExecuteRequestSchema, operation: 'execute', rockletPath: '/execute',
    failureMessage: M.execute, action: RUN_COMMANDS,
    body: (input, record) => ({ ...withoutSandboxId(input), env: mergedEnv(record.env, input.env) }),
    timeoutMs: (input) => input.timeout * 1000 + DEADLINE_SLACK_MS,
    doc: { summary: 'Run one command ({command, shell, timeout, cwd, env, check}) → {stdout, stderr, exit_code}', tags: commandTag },
  }),
  spec({
    url: `${SANDBOX_API_PREFIX}/create_session`, schema: SandboxCreateSessionRequestSchema, operation: 'create_session',
    rockletPath: '/create_session', failureMessage: M.create_session, action: RUN_COMMANDS,
    body: (input, record) => ({ ...withoutSandboxId(input), env: mergedEnv(record.env, input.env) }),
    timeoutMs: (input) => input.startup_timeout * 1000 + SESSION_CONTROL_TIMEOUT_MS,
    doc: { summary: 'Start a persistent bash session', tags: commandTag },
  }),
  spec({
    url: `${SANDBOX_API_PREFIX}/run_in_session`, schema: SandboxRunInSessionRequestSchema, operation: 'run_in_session',
    rockletPath: '/run_in_session', failureMessage: M.run_in_session, action: RUN_COMMANDS, rockletErrorsAsNullResult: true,
    body: (input) => withoutSandboxId(input),
    timeoutMs: (input) => (input.timeout ?? DEFAULT_SESSION_TIMEOUT_S) * 1000 + DEADLINE_SLACK_MS,
    doc: { summary: 'Run one command line in a session (check: raise | silent | ignore)', tags: commandTag },
  }),
  spec({
    url: `${SANDBOX_API_PREFIX}/close_session`, schema: SandboxCloseSessionRequestSchema, operation: 'close_session',
    rockletPath: '/close_session', failureMessage: M.close_session, action: RUN_COMMANDS,
    body: (input) => withoutSandboxId(input),
    timeoutMs: () => SESSION_CONTROL_TIMEOUT_MS,
    doc: { summary: 'Close a session', tags: commandTag },
  }),
  spec({
    url: `${GEM_API_PREFIX}/reset`, schema: GemResetRequestSchema, operation: 'env_reset', rockletPath: '/env/reset',
    failureMessage: null, action: PLAY,
    body: (input) => ({ seed: input.seed }),
    timeoutMs: () => GEM_CALL_TIMEOUT_MS,
    doc: { summary: 'Reset the env of a GEM sandbox ({sandbox_id, seed?}) → {observation, info}', tags: gemTag },
  }),
  spec({
    url: `${GEM_API_PREFIX}/step`, schema: GemStepRequestSchema, operation: 'env_step', rockletPath: '/env/step',
    failureMessage: null, action: PLAY,
    body: (input) => ({ action: input.action }),
    timeoutMs: () => GEM_CALL_TIMEOUT_MS,
    doc: { summary: 'One step ({sandbox_id, action}) → {observation, reward, terminated, truncated, info}', tags: gemTag },
  }),
];
