/**
 * @rock/config: the only place that reads `process.env` (STYLE habit 1). `loadConfig()` returns a
 * typed, frozen {@link RockConfig} or throws a {@link ConfigError} listing every bad variable;
 * `describeConfig()` documents each variable.
 */
export { loadConfig, describeConfig, renderConfigTable, ConfigError } from './load-config';
export type { RockConfig, AdmissionCaps, ConfigVariableDoc, KubernetesConfig } from './load-config';
export { VARIABLES, RUNTIME_KINDS, SERVICE_MODES, LOG_LEVELS } from './variables';
export type { VariableName } from './variables';
export { findRepoRoot } from './repo-root';
