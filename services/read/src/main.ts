import { runRockService } from '@rock/http';
import { ReadModule } from './read.module';

/** Boots the read service standalone on `config.http.port` (ROCK_PORT). */
runRockService({ service: 'read', module: (config, shared) => ReadModule.forRoot(config, shared) });
