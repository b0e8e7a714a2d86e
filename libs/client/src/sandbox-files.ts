import type { ReadFileResponse, UploadResponse, WriteFileResponse } from '@rock/contracts';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { errorForHttpStatus, InternalError, RockError } from './errors';
import { shellQuote } from './arun';
import type { SandboxCommands } from './sandbox-commands';
import { SANDBOX_PREFIX, type RequestBody, type RockTransport } from './transport';

/** Progress of a transfer; `total` is `null` when the size is unknown. */
export interface TransferProgress {
  transferred: number;
  total: number | null;
}

/** Options of uploads and downloads. */
export interface TransferOptions {
  onProgress?: (progress: TransferProgress) => void;
  /** Budget of the whole transfer in ms (default 30 min). */
  timeoutMs?: number;
}

const TRANSFER_TIMEOUT_MS = 30 * 60_000;

function counting(total: number | null, onProgress?: TransferOptions['onProgress']): Transform {
  let transferred = 0;
  let lastReport = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      transferred += chunk.length;
      const now = Date.now();
      if (onProgress && (now - lastReport >= 100 || transferred === total)) {
        lastReport = now;
        onProgress({ transferred, total });
      }
      callback(null, chunk);
    },
    flush(callback) {
      onProgress?.({ transferred, total });
      callback();
    },
  });
}

async function* multipartBody(boundary: string, fields: Record<string, string>, fileName: string, file: Readable): AsyncGenerator<Buffer> {
  for (const [name, value] of Object.entries(fields)) {
    yield Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  }
  yield Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${fileName.replace(/"/g, '')}"\r\ncontent-type: application/octet-stream\r\n\r\n`);
  for await (const chunk of file) yield chunk as Buffer;
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}

/** The file routes of one sandbox: small files as JSON, big ones streamed, directories through tar. */
export class SandboxFiles {
  constructor(
    private readonly transport: RockTransport,
    private readonly commands: SandboxCommands,
    private readonly sandboxId: () => string,
  ) {}

  /** `POST /read_file`. */
  async readFile(path: string): Promise<string> {
    const result = await this.transport.envelope<ReadFileResponse>('read_file', { body: { sandbox_id: this.sandboxId(), path }, idempotent: true });
    return result.content;
  }

  /** `POST /write_file` (parents created). */
  async writeFile(path: string, content: string): Promise<void> {
    const result = await this.transport.envelope<WriteFileResponse>('write_file', { body: { sandbox_id: this.sandboxId(), path, content }, idempotent: true });
    if (!result.success) throw new InternalError(`write_file ${path}: ${result.message}`);
  }

  /** Streams a local file to `remotePath` (multipart, never buffered whole). */
  async upload(localPath: string, remotePath: string, options: TransferOptions = {}): Promise<void> {
    const size = (await stat(localPath)).size;
    const boundary = `rock-${randomBytes(12).toString('hex')}`;
    const file = createReadStream(localPath).pipe(counting(size, options.onProgress));
    const body = Readable.from(multipartBody(boundary, { sandbox_id: this.sandboxId(), target_path: remotePath }, basename(localPath), file));
    const result = await this.transport.envelope<UploadResponse>('upload', {
      rawBody: Readable.toWeb(body) as unknown as RequestBody,
      duplex: true,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      timeoutMs: options.timeoutMs ?? TRANSFER_TIMEOUT_MS,
    });
    if (!result.success) throw new InternalError(`upload ${remotePath}: ${result.message}`);
  }

  /** Streams `remotePath` into a local file (parent directories created). */
  async download(remotePath: string, localPath: string, options: TransferOptions = {}): Promise<void> {
    const response = await this.transport.fetch(`${SANDBOX_PREFIX}/download`, {
      method: 'GET',
      query: { sandbox_id: this.sandboxId(), path: remotePath },
      idempotent: true,
      timeoutMs: options.timeoutMs ?? TRANSFER_TIMEOUT_MS,
    });
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || type.includes('application/json')) throw await downloadError(response, remotePath);
    const length = Number(response.headers.get('content-length') ?? NaN);
    await mkdir(dirname(localPath), { recursive: true });
    if (!response.body) throw new InternalError(`download ${remotePath}: empty answer`);
    await pipeline(Readable.fromWeb(response.body as never), counting(Number.isFinite(length) ? length : null, options.onProgress), createWriteStream(localPath));
  }

  /** Copies a local directory to `remoteDir` through one tar stream (needs `tar` in the image). */
  async uploadDir(localDir: string, remoteDir: string, options: TransferOptions = {}): Promise<void> {
    const scratch = await mkdtemp(join(tmpdir(), 'rock-updir-'));
    const archive = join(scratch, 'dir.tar');
    const remoteArchive = `/tmp/rock-updir-${randomBytes(6).toString('hex')}.tar`;
    try {
      await tar.c({ file: archive, cwd: localDir, portable: true }, ['.']);
      await this.upload(archive, remoteArchive, options);
      await this.checked(`mkdir -p ${shellQuote(remoteDir)} && tar -xf ${shellQuote(remoteArchive)} -C ${shellQuote(remoteDir)}; rc=$?; rm -f ${shellQuote(remoteArchive)}; exit $rc`);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Copies `remoteDir` into a local directory through one tar stream (needs `tar` in the image). */
  async downloadDir(remoteDir: string, localDir: string, options: TransferOptions = {}): Promise<void> {
    const remoteArchive = `/tmp/rock-downdir-${randomBytes(6).toString('hex')}.tar`;
    const scratch = await mkdtemp(join(tmpdir(), 'rock-downdir-'));
    try {
      await this.checked(`tar -cf ${shellQuote(remoteArchive)} -C ${shellQuote(remoteDir)} .`);
      await this.download(remoteArchive, join(scratch, 'dir.tar'), options);
      await mkdir(localDir, { recursive: true });
      await tar.x({ file: join(scratch, 'dir.tar'), cwd: localDir });
    } finally {
      await this.commands.execute({ command: `rm -f ${shellQuote(remoteArchive)}`, timeout: 60 }).catch(() => undefined);
      await rm(scratch, { recursive: true, force: true });
    }
  }

  private async checked(command: string): Promise<void> {
    const result = await this.commands.execute({ command, timeout: 600 });
    if (result.exitCode !== 0) throw new InternalError(`${command.split(' ')[0]} in the sandbox failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`);
  }
}

async function downloadError(response: Response, remotePath: string): Promise<RockError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: string; message?: string; detail?: string };
    const reason = body.error ?? body.detail ?? body.message ?? text;
    return errorForHttpStatus(response.ok ? 400 : response.status, `download ${remotePath}: ${reason}`);
  } catch {
    return errorForHttpStatus(response.status, `download ${remotePath}: HTTP ${response.status}`);
  }
}
