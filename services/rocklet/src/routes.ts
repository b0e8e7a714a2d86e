import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Multipart } from '@fastify/multipart';
import {
  CloseSessionRequestSchema,
  CreateSessionRequestSchema,
  DownloadQuerySchema,
  ExecuteRequestSchema,
  parseOrThrow,
  ReadFileRequestSchema,
  RunInSessionRequestSchema,
  WriteFileRequestSchema,
} from '@rock/contracts';
import type { UploadPart } from './files/upload.service';
import type { RockletServices } from './rocklet.services';

async function* uploadParts(req: FastifyRequest): AsyncGenerator<UploadPart> {
  for await (const part of req.parts() as AsyncIterableIterator<Multipart>) {
    if (part.type === 'field') yield { type: 'field', name: part.fieldname, value: String(part.value) };
    else yield { type: 'file', name: part.fieldname, filename: part.filename, stream: part.file };
  }
}

/** Route table (API.md §5): one line per route, work done in the services. */
export function registerRoutes(app: FastifyInstance, s: RockletServices): void {
  app.get('/is_alive', () => ({ is_alive: true, message: '' }));
  app.get('/get_statistics', () => s.statistics.collect());
  app.post('/create_session', (req) => s.sessions.create(parseOrThrow(CreateSessionRequestSchema, req.body ?? {})));
  app.post('/run_in_session', (req) => s.sessions.run(parseOrThrow(RunInSessionRequestSchema, req.body ?? {})));
  app.post('/close_session', async (req) => {
    await s.sessions.close(parseOrThrow(CloseSessionRequestSchema, req.body ?? {}).session);
    return { session_type: 'bash' };
  });
  app.post('/execute', (req) => s.execute.execute(parseOrThrow(ExecuteRequestSchema, req.body ?? {})));
  app.post('/read_file', (req) => s.files.read(parseOrThrow(ReadFileRequestSchema, req.body ?? {})));
  app.post('/write_file', (req) => s.files.write(parseOrThrow(WriteFileRequestSchema, req.body ?? {})));
  app.post('/upload', (req) => s.uploads.receive(uploadParts(req)));
  app.get('/download', async (req, reply) => {
    const { path } = parseOrThrow(DownloadQuerySchema, req.query);
    const { stream, size } = await s.files.openDownload(path);
    return reply.header('content-type', 'application/octet-stream').header('content-length', size).send(stream);
  });
  app.post('/close', async () => ({ closed_sessions: await s.sessions.hangUpAll() }));
}
