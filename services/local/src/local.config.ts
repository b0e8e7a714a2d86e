/**
 * The raw environment facts local mode needs beyond {@link loadConfig}: whether the user chose a
 * Redis or a runtime explicitly (then local mode never substitutes its own). The only file of
 * local mode that reads `process.env` (STYLE habit 1).
 */
export interface LocalEnvironment {
  /** `ROCK_REDIS_URL` when set: use exactly it, never start a private redis-server. */
  redisUrl: string | null;
  /** Every variable, handed to `loadConfig` with local mode's overrides on top. */
  env: Readonly<Record<string, string | undefined>>;
}

/** Reads the environment facts local mode needs (defaults to `process.env`). */
export function readLocalEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): LocalEnvironment {
  const redisUrl = (env.ROCK_REDIS_URL ?? '').trim();
  return { redisUrl: redisUrl === '' ? null : redisUrl, env };
}
