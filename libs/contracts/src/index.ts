/**
 * @rock/contracts: the single source of truth for ROCK's wire format (API.md). Every shape is a zod
 * schema with its inferred type; parse with {@link parseOrThrow} to get "field: reason; …" errors.
 */
export * from './validation';
export * from './rocklet';
export * from './envelope';
export * from './errors';
export * from './error-mapping';
export * from './sizes';
export * from './primitives';
export * from './headers';
export * from './sandbox-start';
export * from './sandbox-status';
export * from './sandbox-list';
export * from './sandbox-ops';
export * from './gem';
export * from './e2b';
