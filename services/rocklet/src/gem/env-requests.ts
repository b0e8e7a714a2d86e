import { envBadRequest } from './env-errors';

/**
 * Hand-written checks of the `/env/*` bodies: `/env/step` is the hot path of RL rollouts, and these
 * are a few `typeof` tests where a schema parse costs microseconds per call. Unknown fields (e.g.
 * `sandbox_id`) are ignored. Seeds are checked by `@rock/gem` (`InvalidSeedError`, 400).
 */
export interface EnvMakeRequest {
  env_id: string;
  kwargs: Record<string, unknown>;
  seed: unknown;
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw envBadRequest('body: must be a JSON object');
  return body as Record<string, unknown>;
}

export function parseMakeRequest(body: unknown): EnvMakeRequest {
  const b = bodyObject(body);
  const envId = b.env_id;
  if (typeof envId !== 'string' || envId.trim() === '') throw envBadRequest('env_id: must be a non-empty string');
  const kwargs = b.kwargs ?? {};
  if (typeof kwargs !== 'object' || Array.isArray(kwargs)) throw envBadRequest('kwargs: must be a JSON object or null');
  return { env_id: envId, kwargs: kwargs as Record<string, unknown>, seed: b.seed };
}

/** `{seed?}`: the seed itself is validated by the env (null/absent = continue the stream). */
export function parseResetSeed(body: unknown): unknown {
  return bodyObject(body).seed;
}

export function parseStepAction(body: unknown): string {
  const action = bodyObject(body).action;
  if (typeof action !== 'string') throw envBadRequest(`action: must be a string (got ${action === null ? 'null' : typeof action})`);
  return action;
}
