/** Shared helpers for integration tests and benchmarks (never imported by product code). */
export {};
export * from './docker';
export * from './rocklet';
export * from './gem-golden';
export * from './redis-keys';
export * from './ports';
export * from './processes';
export * from './repo';
