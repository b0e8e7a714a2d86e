export * from './core/env';
