export * from './core/env';
export * from './core/pyre';
export * from './core/pystr';
export * from './random';
