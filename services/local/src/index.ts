/** ROCK local mode (`rock admin start --env local`): write + read in one process on one port. */
export { startLocalMode } from './local-mode';
export type { LocalModeOptions, LocalModeServer } from './local-mode';
export { LocalModule } from './local.module';
export type { LocalShared } from './local.module';
export { provisionRedis, redisAnswers, startPrivateRedis } from './redis-provision';
export type { ProvisionedRedis } from './redis-provision';
export { dockerAnswers } from './runtime-probe';
