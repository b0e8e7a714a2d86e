import { Module, type DynamicModule } from '@nestjs/common';
import type { RockConfig } from '@rock/config';
import { GemController } from './gem/gem.controller';
import { GemService } from './gem/gem.service';
import { RockletEnvClient } from './gem/rocklet-env.client';
import { InfrastructureModule, type WriteShared } from './infra/infrastructure.module';
import { CreateJobHandler } from './lifecycle/create.handler';
import { DestroyJobHandler } from './lifecycle/destroy.handler';
import { InflightCreates } from './lifecycle/inflight-creates';
import { LifecycleProcessor } from './lifecycle/lifecycle.processor';
import { ReaperJobHandler } from './lifecycle/reaper.handler';
import { ReconcilerJobHandler } from './lifecycle/reconciler.handler';
import { SandboxController } from './sandbox/sandbox.controller';
import { SandboxLifecycleService } from './sandbox/sandbox-lifecycle.service';
import { SandboxRuntimeOpsService } from './sandbox/sandbox-runtime-ops.service';
import { StartRoutes } from './sandbox/start.routes';

/**
 * The write service (ARCHITECTURE §1): lifecycle routes, GEM make/close, the BullMQ lifecycle
 * worker, reaper and reconciler. `forRoot(config, shared)` lets local mode compose it with the
 * read module in one process, sharing the logger, metrics and registry.
 */
@Module({})
export class WriteModule {
  static forRoot(config: RockConfig, shared: WriteShared = {}): DynamicModule {
    return {
      module: WriteModule,
      imports: [InfrastructureModule.forRoot(config, shared)],
      controllers: [SandboxController, GemController],
      providers: [
        SandboxLifecycleService,
        SandboxRuntimeOpsService,
        StartRoutes,
        GemService,
        RockletEnvClient,
        InflightCreates,
        CreateJobHandler,
        DestroyJobHandler,
        ReaperJobHandler,
        ReconcilerJobHandler,
        LifecycleProcessor,
      ],
    };
  }
}
