import { runRockService } from '@rock/http';
import { WriteModule } from './write.module';

/** Boots the write service standalone on `config.http.port` (ROCK_PORT). */
runRockService({
  service: 'write',
  module: (config, shared) => WriteModule.forRoot(config, shared),
  listeningFields: (config) => ({ runtime: config.runtime.kind, instance: config.instance }),
});
