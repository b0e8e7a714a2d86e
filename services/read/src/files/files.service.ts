import { Inject, Injectable } from '@nestjs/common';
import type {
  ReadFileResponse,
  SandboxReadFileRequest,
  SandboxWriteFileRequest,
  UploadResponse,
  WriteFileResponse,
} from '@rock/contracts';
import type { Dispatcher } from 'undici';
import type { Readable } from 'node:stream';
import { SandboxAccess, type Caller } from '../infra/sandbox-access';
import { RockletClient } from '../rocklet/rocklet.client';

const FILE_CALL_TIMEOUT_MS = 120_000;
/** Budget of one streamed transfer (upload or download): large files on a loaded host. */
const TRANSFER_TIMEOUT_MS = 30 * 60_000;

/** File routes (API.md §3): read/write as JSON, upload/download streamed through, never buffered. */
@Injectable()
export class FilesService {
  constructor(
    @Inject(SandboxAccess) private readonly access: SandboxAccess,
    @Inject(RockletClient) private readonly rocklets: RockletClient,
  ) {}

  async read(request: SandboxReadFileRequest, caller: Caller): Promise<ReadFileResponse> {
    const { target } = await this.access.running(request.sandbox_id, caller);
    const { sandbox_id: _id, ...body } = request;
    return this.rocklets.json<ReadFileResponse>(target, {
      operation: 'read_file', method: 'POST', path: '/read_file', json: body, timeoutMs: FILE_CALL_TIMEOUT_MS,
    });
  }

  async write(request: SandboxWriteFileRequest, caller: Caller): Promise<WriteFileResponse> {
    const { target } = await this.access.running(request.sandbox_id, caller);
    const { sandbox_id: _id, ...body } = request;
    return this.rocklets.json<WriteFileResponse>(target, {
      operation: 'write_file', method: 'POST', path: '/write_file', json: body, timeoutMs: FILE_CALL_TIMEOUT_MS,
    });
  }

  /** Sends an already-framed multipart body (`contentType` carries the boundary) to the rocklet. */
  async upload(sandboxId: string, body: AsyncIterable<Uint8Array>, contentType: string, caller: Caller): Promise<UploadResponse> {
    const { target } = await this.access.running(sandboxId, caller);
    return this.rocklets.json<UploadResponse>(target, {
      operation: 'upload', method: 'POST', path: '/upload', stream: body,
      headers: { 'content-type': contentType }, timeoutMs: TRANSFER_TIMEOUT_MS,
    });
  }

  /** The file's bytes as a stream plus its length (a missing file is 4000). */
  async download(sandboxId: string, path: string, caller: Caller): Promise<{ body: Readable; size: string | null }> {
    const { target } = await this.access.running(sandboxId, caller);
    const response: Dispatcher.ResponseData = await this.rocklets.open(target, {
      operation: 'download', method: 'GET', path: `/download?path=${encodeURIComponent(path)}`, timeoutMs: TRANSFER_TIMEOUT_MS,
    });
    const length = response.headers['content-length'];
    return { body: response.body, size: typeof length === 'string' ? length : null };
  }
}
