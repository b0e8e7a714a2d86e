import { z } from 'zod';

/** E2B-compatible control API (API.md §6, later phase): shapes only. */
export const E2BCreateSandboxRequestSchema = z.object({
  templateID: z.string().min(1),
  timeout: z.number().int().gt(0).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  envVars: z.record(z.string(), z.string()).optional(),
});
export type E2BCreateSandboxRequest = z.infer<typeof E2BCreateSandboxRequestSchema>;

/** `201` body of `POST /sandboxes`. */
export const E2BSandboxSchema = z.object({
  sandboxID: z.string(),
  templateID: z.string(),
  clientID: z.string(),
  envdVersion: z.string(),
});
export type E2BSandbox = z.infer<typeof E2BSandboxSchema>;

/** `GET /sandboxes/{id}` and `GET /v2/sandboxes` items. */
export const E2BSandboxDetailSchema = E2BSandboxSchema.extend({
  metadata: z.record(z.string(), z.string()),
  startedAt: z.string(),
  endAt: z.string(),
  cpuCount: z.number(),
  memoryMB: z.number(),
  state: z.enum(['running', 'paused']),
});
export type E2BSandboxDetail = z.infer<typeof E2BSandboxDetailSchema>;

/** E2B errors: `{code, message}` with `code` = the HTTP status. */
export const E2BErrorSchema = z.object({ code: z.number().int(), message: z.string() });
export type E2BError = z.infer<typeof E2BErrorSchema>;
