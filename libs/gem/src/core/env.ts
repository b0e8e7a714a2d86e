/**
 * The GEM environment contract (../shared/GEM.md §1.1), in TypeScript.
 *
 * Observations and actions are strings for every text env. `info` is a plain JSON object
 * (almost always `{ suffix }`; Mastermind's reset info is `{}`).
 */
export type Info = Record<string, unknown>;

/** `reset(seed)` → `[observation, info]`. */
export type ResetResult = [observation: string, info: Info];

/** `step(action)` → `[observation, reward, terminated, truncated, info]`. */
export type StepResult = [observation: string, reward: number, terminated: boolean, truncated: boolean, info: Info];

/** A GEM environment. One instance owns its own CPython-compatible RNG stream (GEM.md §1.4). */
export interface Env {
  /** Registry id this env was made from (`game:Sokoban-v0-easy`), set by `make`. */
  envId: string;
  /** Re-seeds the env's RNG when `seed` is given (an integer in [0, 2^32-1]); else continues the stream. */
  reset(seed?: number | null): ResetResult;
  step(action: string): StepResult;
  sampleRandomAction(): string;
}

/** What every env constructor may need from its host (data directory for word lists). */
export interface EnvContext {
  /** Root of the GEM data directory (`ROCK_GEM_DATA_DIR`), laid out as ../shared/gem-data/README.md says. */
  dataDir?: string;
}

/** One registry entry: `make(id, kwargs)` calls `create({...defaults, ...kwargs}, ctx)`. */
export interface EnvRegistration {
  id: string;
  /** Registry default kwargs (GEM.md §1.6), merged under the caller's kwargs. */
  kwargs: Record<string, unknown>;
  create(kwargs: Record<string, unknown>, ctx: EnvContext): Env;
}
