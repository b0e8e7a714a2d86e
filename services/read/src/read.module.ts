import { Module, type DynamicModule } from '@nestjs/common';
import type { RockConfig } from '@rock/config';
import { FilesController } from './files/files.controller';
import { FilesService } from './files/files.service';
import { ForwardRoutes } from './forward/forward.routes';
import { GemController } from './gem/gem.controller';
import { GemService } from './gem/gem.service';
import { ReadInfrastructureModule, type ReadShared } from './infra/read-infrastructure.module';
import { SandboxAccess } from './infra/sandbox-access';
import { ProxyService } from './proxy/proxy.service';
import { StatusController } from './status/status.controller';
import { StatusService } from './status/status.service';
import { StreamingRoutes } from './streaming-routes';

/**
 * The read service (ARCHITECTURE §1): stateless routes that resolve a sandbox through the cached
 * registry and talk straight to its rocklet. The hot routes (execute, sessions, GEM reset/step)
 * are plain Fastify routes ({@link ForwardRoutes}); the rest are Nest controllers. `forRoot(config, shared)` lets local mode compose it
 * with the write module in one process, sharing logger, metrics and registry.
 */
@Module({})
export class ReadModule {
  static forRoot(config: RockConfig, shared: ReadShared = {}): DynamicModule {
    return {
      module: ReadModule,
      imports: [ReadInfrastructureModule.forRoot(config, shared)],
      controllers: [StatusController, FilesController, GemController],
      providers: [SandboxAccess, StatusService, FilesService, GemService, ProxyService, StreamingRoutes, ForwardRoutes],
    };
  }
}
