import { Module, type DynamicModule } from '@nestjs/common';
import type { RockConfig } from '@rock/config';
import type { RockLogger, RockMetrics } from '@rock/observability';
import type { SandboxRegistry } from '@rock/registry';
import { ReadModule } from '../../read/src/read.module';
import { WriteModule } from '../../write/src/write.module';

/** What local mode shares between the two composed modules: one logger, one metrics registry, one Redis registry. */
export interface LocalShared {
  logger: RockLogger;
  metrics: RockMetrics;
  registry: SandboxRegistry;
}

/**
 * Local mode (ARCHITECTURE §1): the write and the read service's own Nest modules composed in one
 * application, so one port serves lifecycle routes, runtime routes and GEM. Route sets are
 * disjoint (write: start/stop/delete/…, GEM make/close; read: status/exec/files/GEM reset/step).
 */
@Module({})
export class LocalModule {
  static forRoot(config: RockConfig, shared: LocalShared): DynamicModule {
    return {
      module: LocalModule,
      imports: [WriteModule.forRoot(config, shared), ReadModule.forRoot(config, shared)],
    };
  }
}
