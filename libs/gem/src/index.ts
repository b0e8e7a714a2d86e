export * from './core/env';
export * from './random';
