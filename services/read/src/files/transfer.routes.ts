import multipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import {
  parseOrThrow,
  SANDBOX_API_PREFIX,
  SandboxDownloadQuerySchema,
  successEnvelope,
  ValidationError,
} from '@rock/contracts';
import { requestIdOf } from '@rock/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { principalFromHeaders, sendRouteFailure, type RawAuth } from '../infra/raw-route-support';
import type { Caller } from '../infra/sandbox-access';
import type { FilesService } from './files.service';

/** Largest file one upload may stream through (the rocklet enforces its own limit too). */
const MAX_UPLOAD_BYTES = 64 * 1024 ** 3;

function fieldPart(boundary: string, name: string, value: string): Buffer {
  return Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
}

function fileHead(boundary: string, file: MultipartFile): Buffer {
  const filename = file.filename.replace(/["\r\n]/g, '_');
  return Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\n` +
      `content-type: application/octet-stream\r\n\r\n`,
  );
}

/**
 * Re-frames the client's multipart body for the rocklet while it arrives: the fields read before
 * the file, then the file's bytes as they stream in, then any later fields. Nothing is buffered
 * beyond the stream's own chunks.
 */
async function* reframe(
  boundary: string,
  fields: Record<string, string>,
  file: MultipartFile,
  rest: AsyncIterator<Multipart>,
): AsyncGenerator<Uint8Array> {
  for (const [name, value] of Object.entries(fields)) if (name !== 'sandbox_id') yield fieldPart(boundary, name, value);
  yield fileHead(boundary, file);
  for await (const chunk of file.file) yield chunk as Buffer;
  if (file.file.truncated) throw new ValidationError([`file: exceeds the limit of ${MAX_UPLOAD_BYTES} bytes`]);
  yield Buffer.from('\r\n');
  for (let next = await rest.next(); !next.done; next = await rest.next()) {
    const part = next.value;
    if (part.type === 'field') yield fieldPart(boundary, part.fieldname, String(part.value));
    else part.file.resume();
  }
  yield Buffer.from(`--${boundary}--\r\n`);
}

/** Reads fields up to the first file part; the sandbox id must come before it (or in the query). */
async function readUntilFile(parts: AsyncIterator<Multipart>): Promise<{ fields: Record<string, string>; file: MultipartFile | null }> {
  const fields: Record<string, string> = {};
  for (let next = await parts.next(); !next.done; next = await parts.next()) {
    const part = next.value;
    if (part.type === 'field') fields[part.fieldname] = String(part.value);
    else if (part.fieldname === 'file') return { fields, file: part };
    else part.file.resume();
  }
  return { fields, file: null };
}

function callerOf(request: FastifyRequest, auth: RawAuth): Caller {
  return { principal: principalFromHeaders(request.headers, auth), requestId: requestIdOf(request) };
}

/**
 * `POST /upload` (multipart streamed through to the rocklet) and `GET /download` (the rocklet's
 * bytes streamed back), as plain Fastify routes in their own context so the multipart parser is
 * registered here only.
 */
export async function registerTransferRoutes(app: FastifyInstance, files: FilesService, auth: RawAuth): Promise<void> {
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 4, fields: 32, fieldSize: 64 * 1024 } });
  app.post(`${SANDBOX_API_PREFIX}/upload`, async (request, reply) => {
    try {
      const caller = callerOf(request, auth);
      if (!request.isMultipart()) throw new ValidationError(['(body): must be multipart/form-data']);
      const parts = request.parts()[Symbol.asyncIterator]();
      const { fields, file } = await readUntilFile(parts);
      const query = request.query as Record<string, unknown>;
      const sandboxId = fields.sandbox_id ?? (typeof query.sandbox_id === 'string' ? query.sandbox_id : '');
      const problems = [
        ...(sandboxId.trim() ? [] : ['sandbox_id: is required (a form field before the file, or a query parameter)']),
        ...(file ? [] : ['file: a multipart part named "file" is required']),
      ];
      if (problems.length > 0 || !file) throw new ValidationError(problems);
      const boundary = `rock-${randomBytes(12).toString('hex')}`;
      const body = reframe(boundary, fields, file, parts);
      const result = await files.upload(sandboxId, body, `multipart/form-data; boundary=${boundary}`, caller);
      return await reply.send(successEnvelope(result));
    } catch (error) {
      return sendRouteFailure(error, 'upload', request, reply);
    }
  });
  app.get(`${SANDBOX_API_PREFIX}/download`, async (request, reply) => {
    try {
      const caller = callerOf(request, auth);
      const query = parseOrThrow(SandboxDownloadQuerySchema, request.query);
      const { body, size } = await files.download(query.sandbox_id, query.path, caller);
      void reply.header('content-type', 'application/octet-stream');
      if (size !== null) void reply.header('content-length', size);
      return await reply.send(body);
    } catch (error) {
      return sendRouteFailure(error, 'download', request, reply);
    }
  });
}
