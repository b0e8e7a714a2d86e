import { RockError, ResultCode } from '@rock/contracts';

/** `make` was given an id the registry does not hold; carries the closest registered ids. */
export class UnknownEnvError extends RockError {
  constructor(
    readonly envId: string,
    readonly closeMatches: string[],
  ) {
    const hint = closeMatches.length > 0 ? ` Did you mean: ${closeMatches.join(', ')}?` : '';
    super('gem_unknown_env', ResultCode.BadRequest, 400, `Environment ${envId} not found in registry.${hint}`);
  }
}

/** A second registration under an id that is already registered (GEM raises ValueError). */
export class DuplicateEnvError extends Error {
  readonly code = 'GEM_DUPLICATE_ENV';
  constructor(readonly envId: string) {
    super(`Environment ${envId} is already registered.`);
    this.name = 'DuplicateEnvError';
  }
}

/** `reset(seed)` with a seed outside [0, 2^32-1] or not an integer (numpy's seeding rule). */
export class InvalidSeedError extends RockError {
  constructor(readonly seed: unknown) {
    super('gem_invalid_seed', ResultCode.BadRequest, 400, `seed: must be an integer between 0 and 2**32 - 1 (got ${describe(seed)})`);
  }
}

/** A wrapper name GEM knows but ROCK does not serve, or one nobody knows. */
export class UnknownWrapperError extends RockError {
  constructor(
    readonly wrapper: string,
    served: readonly string[],
    notServed: readonly string[],
  ) {
    const why = notServed.includes(wrapper)
      ? `is not served (it needs a tokenizer, tools or the network)`
      : 'is not a GEM wrapper';
    super('gem_unknown_wrapper', ResultCode.BadRequest, 400, `wrappers: '${wrapper}' ${why}; served: ${served.join(', ')}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}

const MAX_SEED = 4294967295;

/** Validates a reset seed: null/undefined mean "unseeded"; anything else must be an int in [0, 2^32-1]. */
export function validateSeed(seed: unknown): number | null {
  if (seed === null || seed === undefined) return null;
  if (typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED) return seed;
  throw new InvalidSeedError(seed);
}
