/**
 * @rock/client: the TypeScript SDK of ROCK. {@link Sandbox} (create, run commands and sessions,
 * move files), {@link SandboxGroup} (many at once), {@link make} (GEM environments, Gym-style),
 * {@link RockClient} (listings) and typed errors. Talks HTTP only; depends on no ROCK service.
 */
export { Sandbox, failedStartPhase } from './sandbox';
export type { SandboxOptions, StartOptions } from './sandbox';
export type { ExecuteRequest, ExecuteResult, CreateSessionRequest, SessionAction, Observation } from './sandbox-commands';
export type { ArunOptions, ArunResult } from './arun';
export type { TransferOptions, TransferProgress } from './sandbox-files';
export { SandboxGroup, mapConcurrent } from './sandbox-group';
export type { SandboxGroupOptions } from './sandbox-group';
export { RockClient } from './rock-client';
export type { ListQuery } from './rock-client';
export { RockEnv, make, listEnvs } from './rock-env';
export type { MakeOptions, ResetResult, StepResult } from './rock-env';
export { RockError, BadRequestError, InternalError, CommandError, errorForCode, errorForHttpStatus } from './errors';
export { resolveClientOptions } from './client.config';
export type { ClientOptions, ResolvedClientOptions } from './client.config';
export type { SandboxStatus, SandboxStartRequestInput, ListSandboxesResponse } from '@rock/contracts';
