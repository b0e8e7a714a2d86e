export * from './core';
export * from './random';
export { EnvRegistry, RegisteredEnv, closeMatches, editDistance, gemRegistry, list, make } from './registry';
