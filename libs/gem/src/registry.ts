/**
 * GEM's env registry (GEM.md §1.5): `make(id, kwargs?, ctx?)`, `list()`, duplicate-safe
 * registration, typed errors with close matches, and seed validation on every `reset`.
 */
import type { Env, EnvContext, EnvRegistration, ResetResult, StepResult } from './core/env';
import { DuplicateEnvError, UnknownEnvError, validateSeed } from './core/errors';
import { allRegistrations } from './envs';

/** What `make` returns: the game env behind a guard that validates seeds; `unwrapped` is the game. */
export class RegisteredEnv implements Env {
  constructor(
    readonly unwrapped: Env,
    public envId: string,
  ) {}

  /** Throws `InvalidSeedError` unless `seed` is null/undefined or an integer in [0, 2^32-1]. */
  reset(seed?: number | null): ResetResult {
    return this.unwrapped.reset(validateSeed(seed));
  }

  step(action: string): StepResult {
    return this.unwrapped.step(action);
  }

  sampleRandomAction(): string {
    return this.unwrapped.sampleRandomAction();
  }
}

/** A registry of env ids → constructors. */
export class EnvRegistry {
  private readonly entries = new Map<string, EnvRegistration>();

  constructor(registrations: readonly EnvRegistration[] = []) {
    for (const registration of registrations) this.register(registration);
  }

  /** Adds an entry; a second entry with the same id throws `DuplicateEnvError`. */
  register(registration: EnvRegistration): void {
    if (this.entries.has(registration.id)) throw new DuplicateEnvError(registration.id);
    this.entries.set(registration.id, registration);
  }

  has(envId: string): boolean {
    return this.entries.has(envId);
  }

  /** Every registered id, in registration order. */
  list(): string[] {
    return [...this.entries.keys()];
  }

  /** Builds the env with `{...registry kwargs, ...kwargs}`; unknown ids throw `UnknownEnvError`. */
  make(envId: string, kwargs: Record<string, unknown> = {}, ctx: EnvContext = {}): RegisteredEnv {
    const registration = this.entries.get(envId);
    if (!registration) throw new UnknownEnvError(envId, closeMatches(envId, this.list()));
    const env = registration.create({ ...registration.kwargs, ...kwargs }, ctx);
    env.envId = envId;
    return new RegisteredEnv(env, envId);
  }
}

/** Up to `limit` registered ids closest to `query` (case-insensitive; prefix/substring hits first). */
export function closeMatches(query: string, ids: readonly string[], limit = 5): string[] {
  const q = query.toLowerCase();
  const bare = q.replace(/^[a-z]+:/, '');
  const scored = ids.map((id) => {
    const lower = id.toLowerCase();
    const name = lower.replace(/^[a-z]+:/, '');
    const contains = bare.length >= 3 && (name.includes(bare) || bare.includes(name));
    const distance = Math.min(editDistance(q, lower), editDistance(bare, name));
    return { id, score: contains ? distance - 1000 : distance };
  });
  const cutoff = Math.max(2, Math.floor(bare.length / 5));
  return scored
    .filter((s) => s.score <= cutoff)
    .sort((a, b) => a.score - b.score || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((s) => s.id);
}

/** Levenshtein distance (two-row dynamic programme). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The process-wide registry of every served game id (GEM.md §1.6, game category). */
export const gemRegistry = new EnvRegistry(allRegistrations);

/** `gem.make(env_id, **kwargs)` on the default registry. */
export function make(envId: string, kwargs: Record<string, unknown> = {}, ctx: EnvContext = {}): RegisteredEnv {
  return gemRegistry.make(envId, kwargs, ctx);
}

/** Every id `make` accepts, in GEM's registration order. */
export function list(): string[] {
  return gemRegistry.list();
}
