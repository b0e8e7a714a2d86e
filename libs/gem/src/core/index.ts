export * from './env';
export * from './errors';
export * from './pyre';
export * from './pystr';
export * from './text-game';
export * from './wrappers';
