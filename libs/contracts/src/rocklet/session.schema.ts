import { z } from 'zod';

/** Session names are map keys and log fields only (never paths), so any short text is fine. */
const sessionName = z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters');

/** Seconds; fractional values allowed (ROCK clients send 1.0). */
const seconds = z.number().positive('must be > 0').max(86_400, 'must be at most 86400 seconds');

/** POST /create_session (API.md §3, §5). Unknown fields (e.g. `sandbox_id`) are ignored. */
export const CreateSessionRequestSchema = z.object({
  session: sessionName.default('default'),
  env: z.record(z.string(), z.string()).nullish(),
  env_enable: z.boolean().default(false),
  startup_source: z.array(z.string().min(1, 'must not be empty')).default([]),
  remote_user: z.string().min(1, 'must not be empty').nullish(),
  startup_timeout: seconds.default(1.0),
  session_type: z.literal('bash').default('bash'),
});
export type CreateSessionRequest = z.output<typeof CreateSessionRequestSchema>;

export const CreateSessionResponseSchema = z.object({
  output: z.string(),
  session_type: z.literal('bash'),
});
export type CreateSessionResponse = z.output<typeof CreateSessionResponseSchema>;

/** `raise`: non-zero exit is an error; `silent`: return the code; `ignore`: `exit_code` is null. */
export const CheckModeSchema = z.enum(['raise', 'silent', 'ignore']);
export type CheckMode = z.output<typeof CheckModeSchema>;

/** POST /run_in_session. `timeout: null` means the rocklet's configured default. */
export const RunInSessionRequestSchema = z.object({
  session: sessionName.default('default'),
  command: z.string(),
  timeout: seconds.nullish(),
  check: CheckModeSchema.default('raise'),
  is_interactive_command: z.boolean().default(false),
  is_interactive_quit: z.boolean().default(false),
  expect: z.array(z.string().min(1, 'must not be empty')).default([]),
  error_msg: z.string().default(''),
  action_type: z.literal('bash').default('bash'),
});
export type RunInSessionRequest = z.output<typeof RunInSessionRequestSchema>;

/** Strings are never null (ROCK's SDK parses strictly); `exit_code` is an int or null. */
export const RunInSessionResponseSchema = z.object({
  session_type: z.literal('bash'),
  output: z.string(),
  exit_code: z.number().int().nullable(),
  failure_reason: z.string(),
  expect_string: z.string(),
  truncated: z.boolean().optional(),
});
export type RunInSessionResponse = z.output<typeof RunInSessionResponseSchema>;

export const CloseSessionRequestSchema = z.object({
  session: sessionName.default('default'),
  session_type: z.literal('bash').default('bash'),
});
export type CloseSessionRequest = z.output<typeof CloseSessionRequestSchema>;

export const CloseSessionResponseSchema = z.object({ session_type: z.literal('bash') });
export type CloseSessionResponse = z.output<typeof CloseSessionResponseSchema>;
