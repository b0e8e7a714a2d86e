export * from './core';
export * from './random';
export { EnvRegistry, RegisteredEnv, closeMatches, editDistance, gemRegistry, list, make } from './registry';
export { GEM_DATA_DIR_VARIABLE, GEM_DATA_FILES, GemDataError, GemDataFormatError, missingGemDataFiles } from './data/gem-data';
export { allRegistrations } from './envs';
