import type { ExecuteService } from './execute.service';
import type { FileService } from './files/file.service';
import type { UploadService } from './files/upload.service';
import type { GemEnvService } from './gem/gem-env.service';
import type { SessionService } from './session/session.service';
import type { StatisticsService } from './stats/statistics.service';

/** The services the rocklet's routes call; built once by `buildRocklet`. */
export interface RockletServices {
  sessions: SessionService;
  execute: ExecuteService;
  files: FileService;
  uploads: UploadService;
  statistics: StatisticsService;
  gemEnv: GemEnvService;
}
