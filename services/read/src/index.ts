/** The read service as a Nest module, for local mode (write + read in one process). */
export { ReadModule } from './read.module';
export type { ReadShared } from './infra/read-infrastructure.module';
export { RockletClient } from './rocklet/rocklet.client';
export type { RockletTarget, RockletCall, RockletClientOptions } from './rocklet/rocklet.client';
export { SandboxDirectory } from './infra/sandbox-directory';
