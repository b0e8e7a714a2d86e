import { z } from 'zod';
import { nonBlankString, nullable, numberLike } from './primitives';

/** GEM routes (API.md §4): bare JSON, errors `{detail}` with a real HTTP status. */
const seed = nullable(numberLike(z.number().int()));

/** `POST /apis/v1/envs/gem/make` (write). */
export const GemMakeRequestSchema = z.object({
  env_id: nonBlankString,
  seed,
  kwargs: nullable(z.record(z.string(), z.unknown())),
});
export type GemMakeRequest = z.infer<typeof GemMakeRequestSchema>;
export const GemMakeResponseSchema = z.object({ sandbox_id: z.string() });
export type GemMakeResponse = z.infer<typeof GemMakeResponseSchema>;

/** `POST /reset` (read). */
export const GemResetRequestSchema = z.object({ sandbox_id: nonBlankString, seed });
export type GemResetRequest = z.infer<typeof GemResetRequestSchema>;
export const GemResetResponseSchema = z.object({ observation: z.unknown(), info: z.record(z.string(), z.unknown()) });
export type GemResetResponse = z.infer<typeof GemResetResponseSchema>;

/** `POST /step` (read). */
export const GemStepRequestSchema = z.object({ sandbox_id: nonBlankString, action: z.string() });
export type GemStepRequest = z.infer<typeof GemStepRequestSchema>;
export const GemStepResponseSchema = z.object({
  observation: z.unknown(),
  reward: z.number(),
  terminated: z.boolean(),
  truncated: z.boolean(),
  info: z.record(z.string(), z.unknown()),
});
export type GemStepResponse = z.infer<typeof GemStepResponseSchema>;

/** `POST /close` (write): also stops the sandbox. */
export const GemCloseRequestSchema = z.object({ sandbox_id: nonBlankString });
export type GemCloseRequest = z.infer<typeof GemCloseRequestSchema>;
export const GemCloseResponseSchema = GemMakeResponseSchema;

/** `POST /list` (read). */
export const GemListRequestSchema = z.object({ sandbox_id: nullable(z.string()) });
export type GemListRequest = z.infer<typeof GemListRequestSchema>;
export const GemListResponseSchema = z.object({ env_id: z.array(z.string()) });
export type GemListResponse = z.infer<typeof GemListResponseSchema>;

/** Every GEM error body. */
export const GemErrorSchema = z.object({ detail: z.string() });
export type GemError = z.infer<typeof GemErrorSchema>;
