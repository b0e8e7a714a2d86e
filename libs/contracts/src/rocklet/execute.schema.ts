import { z } from 'zod';

/**
 * POST /execute (API.md §3). An argv array runs without a shell; a string runs through
 * `/bin/sh -c` only when `shell: true` — with `shell: false` the whole string is the program name.
 */
export const ExecuteRequestSchema = z.object({
  command: z.union([
    z.string().min(1, 'must not be empty'),
    z.array(z.string()).min(1, 'must have at least one element'),
  ]),
  shell: z.boolean().default(false),
  timeout: z.number().positive('must be > 0').max(86_400, 'must be at most 86400 seconds').default(1200),
  cwd: z.string().min(1, 'must not be empty').nullish(),
  env: z.record(z.string(), z.string()).nullish(),
  check: z.boolean().default(false),
  error_msg: z.string().default(''),
});
export type ExecuteRequest = z.output<typeof ExecuteRequestSchema>;

/** `truncated` [ext] is present and true only when a stream was capped (head and tail kept). */
export const ExecuteResponseSchema = z.object({
  stdout: z.string(),
  stderr: z.string(),
  exit_code: z.number().int().nullable(),
  truncated: z.boolean().optional(),
});
export type ExecuteResponse = z.output<typeof ExecuteResponseSchema>;
