/**
 * @rock/registry: the Redis model of sandboxes (ARCHITECTURE §3). Services use
 * {@link SandboxRegistry} and {@link createRedisConnection}; they never import ioredis.
 */
export { SandboxRegistry } from './sandbox-registry';
export type { SandboxRegistryOptions, RecordPage, IdleTouch } from './sandbox-registry';
export { idleDeadlineMs } from './sandbox-registry';
export { RegistryKeys } from './keys';
export { newSandboxRecord, toSandboxStatus, toStartResponse, isLiveState, encodeFields, decodeRecord } from './record';
export type { SandboxRecord, RecordPatch, NewSandboxContext } from './record';
export type { RegistryListQuery } from './listing';
export { describeRejection, createRefusalError } from './results';
export type {
  AdmissionLimitName,
  AdmissionLimits,
  CreateResult,
  CreateRefusal,
  TransitionResult,
  WaitResult,
  LiveTotals,
} from './results';
export { RegistryEventSchema } from './events';
export type { RegistryEvent, RegistryEventListener, EventSubscription } from './events';
export { createRedisConnection } from './connection';
export type { RedisConnectionOptions, Redis } from './connection';
export { SandboxRecordCache } from './record-cache';
export type { RecordCacheOptions, CacheableRegistry } from './record-cache';
export { waitForState } from './wait-for-state';
export type { WaitableRegistry, WaitOptions } from './wait-for-state';
