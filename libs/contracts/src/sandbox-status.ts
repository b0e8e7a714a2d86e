import { z } from 'zod';
import { booleanLike, isoTimestamp, nonBlankString, nullable, SandboxIdSchema, StringMapSchema, withDefault } from './primitives';

/** Sandbox states, ROCK-compatible strings (ARCHITECTURE §2). */
export const SANDBOX_STATES = ['pending', 'running', 'stopped', 'deleted'] as const;
export const SandboxStateSchema = z.enum(SANDBOX_STATES);
export type SandboxState = z.infer<typeof SandboxStateSchema>;
/** States listed, counted against capacity and answered by `get_status` without `include_all_states`. */
export const LIVE_STATES: readonly SandboxState[] = ['pending', 'running'];

/** Start phases in order (ARCHITECTURE §2). */
export const START_PHASES = ['queued', 'image_pull', 'container_create', 'container_start', 'rocklet_ready'] as const;
export const StartPhaseSchema = z.enum(START_PHASES);
export type StartPhase = z.infer<typeof StartPhaseSchema>;

export const PhaseStatusSchema = z.enum(['waiting', 'running', 'success', 'failed', 'timeout']);
export type PhaseStatus = z.infer<typeof PhaseStatusSchema>;

/** One phase's progress; timestamps ISO-8601 with offset or `null` until reached. */
export const PhaseSchema = z.object({
  status: PhaseStatusSchema,
  message: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
});
export type Phase = z.infer<typeof PhaseSchema>;

/** The `status` map of a SandboxStatusResponse: one entry per phase. */
export const PhasesSchema = z.object({
  queued: PhaseSchema,
  image_pull: PhaseSchema,
  container_create: PhaseSchema,
  container_start: PhaseSchema,
  rocklet_ready: PhaseSchema,
});
export type Phases = z.infer<typeof PhasesSchema>;

/** Every phase `waiting` with no timestamps: the status map of a freshly created record. */
export function initialPhases(): Phases {
  const waiting = (): Phase => ({ status: 'waiting', message: '', started_at: null, completed_at: null });
  return {
    queued: waiting(),
    image_pull: waiting(),
    container_create: waiting(),
    container_start: waiting(),
    rocklet_ready: waiting(),
  };
}

/**
 * A copy of `phases` with one phase moved to `status`: `running` stamps `started_at`; `success`,
 * `failed` and `timeout` stamp `completed_at` (and `started_at` if it was never running);
 * `waiting` clears both.
 */
export function withPhase(phases: Phases, phase: StartPhase, status: PhaseStatus, message = '', nowMs = Date.now()): Phases {
  const now = isoTimestamp(nowMs);
  const previous = phases[phase];
  const next: Phase =
    status === 'waiting'
      ? { status, message, started_at: null, completed_at: null }
      : status === 'running'
        ? { status, message, started_at: previous.started_at ?? now, completed_at: null }
        : { status, message, started_at: previous.started_at ?? now, completed_at: now };
  return { ...phases, [phase]: next };
}

/** The first phase that failed or timed out, with its message; `null` when none did. */
export function failedPhase(phases: Phases): { phase: StartPhase; status: PhaseStatus; message: string } | null {
  for (const phase of START_PHASES) {
    const { status, message } = phases[phase];
    if (status === 'failed' || status === 'timeout') return { phase, status, message };
  }
  return null;
}

/** A `state_history` item: all strings (`from_state` is `""` for the creating entry). */
export const StateHistoryItemSchema = z.object({
  from_state: z.string(),
  to_state: z.string(),
  event: z.string(),
  timestamp: z.string(),
});
export type StateHistoryItem = z.infer<typeof StateHistoryItemSchema>;

/**
 * SandboxStatusResponse / SandboxInfo (API.md §3), with the strict types ROCK's SDK checks:
 * strings never null where a string is expected, `memory`/`disk` strings, `cpus` a number,
 * `metadata` string→string, timestamps ISO-8601 with offset (or null before they happen).
 * `port_mapping` keys are port numbers as strings (`{"22555": 32768}`).
 */
export const SandboxStatusSchema = z.object({
  sandbox_id: z.string(),
  status: PhasesSchema,
  state: SandboxStateSchema,
  port_mapping: z.record(z.string(), z.number().int()),
  host_name: z.string(),
  host_ip: z.string(),
  is_alive: z.boolean(),
  image: z.string(),
  metadata: StringMapSchema,
  user_id: z.string(),
  experiment_id: z.string(),
  namespace: z.string(),
  cluster: z.string(),
  cpus: z.number(),
  memory: z.string(),
  disk: z.string(),
  num_gpus: z.number().int().nullable(),
  accelerator_type: z.string().nullable(),
  create_time: z.string(),
  start_time: z.string().nullable(),
  stop_time: z.string().nullable(),
  auto_stop_time: z.string().nullable(),
  state_history: z.array(StateHistoryItemSchema),
  failure_reason: z.string(),
  swe_rex_version: z.string(),
  gateway_version: z.string(),
});
export type SandboxStatus = z.infer<typeof SandboxStatusSchema>;
/** Same shape; ROCK calls it SandboxInfo in listings. */
export const SandboxInfoSchema = SandboxStatusSchema;
export type SandboxInfo = SandboxStatus;

/** `GET /get_status` query. */
export const GetStatusQuerySchema = z.object({
  sandbox_id: SandboxIdSchema,
  include_all_states: withDefault(booleanLike, false),
});
export type GetStatusQuery = z.infer<typeof GetStatusQuerySchema>;

/** `GET /is_alive` query (an invalid id answers `is_alive: false`, never Failed). */
export const IsAliveQuerySchema = z.object({ sandbox_id: nonBlankString });
export type IsAliveQuery = z.infer<typeof IsAliveQuerySchema>;

/** `SandboxStartResponse` (`start`, `start_async`, `restart`). */
export const SandboxStartResponseSchema = z.object({
  sandbox_id: z.string(),
  host_name: z.string(),
  host_ip: z.string(),
  cpus: z.number(),
  memory: z.string(),
  disk: z.string(),
  code: z.number().int().nullable().optional(),
  exit_code: z.number().int().nullable().optional(),
  failure_reason: z.string().optional(),
});
export type SandboxStartResponse = z.infer<typeof SandboxStartResponseSchema>;

/** `{sandbox_id}` bodies of `/stop`, `/delete`, `/restart`. */
export const SandboxIdRequestSchema = z.object({ sandbox_id: SandboxIdSchema });
export type SandboxIdRequest = z.infer<typeof SandboxIdRequestSchema>;
export const StopRequestSchema = SandboxIdRequestSchema;
export const DeleteRequestSchema = SandboxIdRequestSchema;
export const RestartRequestSchema = SandboxIdRequestSchema;

/** `/commit` body: docker runtime commits the container; pushes when credentials are given. */
export const CommitRequestSchema = z.object({
  sandbox_id: SandboxIdSchema,
  image_tag: nonBlankString,
  username: nullable(z.string()),
  password: nullable(z.string()),
});
export type CommitRequest = z.infer<typeof CommitRequestSchema>;

/** `/warmup/tasks` body: pre-pull an image. */
export const WarmupRequestSchema = z.object({ image: nonBlankString });
export type WarmupRequest = z.infer<typeof WarmupRequestSchema>;
