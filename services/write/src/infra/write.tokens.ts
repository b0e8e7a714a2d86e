/** Injection tokens of the write service's infrastructure (repositories and shared objects). */
export const ROCK_CONFIG = Symbol('ROCK_CONFIG');
export const ROCK_LOGGER = Symbol('ROCK_LOGGER');
export const ROCK_METRICS = Symbol('ROCK_METRICS');
export const SANDBOX_REGISTRY = Symbol('SANDBOX_REGISTRY');
export const SANDBOX_RUNTIME = Symbol('SANDBOX_RUNTIME');
