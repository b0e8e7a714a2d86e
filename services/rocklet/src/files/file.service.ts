import { createReadStream, type ReadStream } from 'node:fs';
import { open, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  RockletErrorClass,
  type ReadFileRequest,
  type ReadFileResponse,
  type WriteFileRequest,
  type WriteFileResponse,
} from '@rock/contracts';
import { fileNotFound, fileTooLarge, RockletError } from '../errors';
import type { RockletConfig } from '../rocklet.config';
import { makeDirectories } from './make-directories';

/** read_file / write_file / download, each bounded by configuration. */
export class FileService {
  constructor(private readonly config: RockletConfig) {}

  async read(req: ReadFileRequest): Promise<ReadFileResponse> {
    const info = await this.statFile(req.path);
    if (info.size > this.config.maxReadFileBytes) throw fileTooLarge(req.path, info.size, this.config.maxReadFileBytes);
    const handle = await open(req.path, 'r');
    let bytes: Buffer;
    try {
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
    return { content: decode(bytes, req.encoding ?? 'utf-8', req.errors ?? 'strict', req.path) };
  }

  async write(req: WriteFileRequest): Promise<WriteFileResponse> {
    const size = Buffer.byteLength(req.content, 'utf8');
    if (size > this.config.maxWriteFileBytes) throw fileTooLarge(req.path, size, this.config.maxWriteFileBytes);
    await makeDirectories(dirname(req.path));
    await writeFile(req.path, req.content, 'utf8');
    return { success: true, message: '' };
  }

  /** A read stream and its size for GET /download (streamed, never buffered). */
  async openDownload(path: string): Promise<{ stream: ReadStream; size: number }> {
    const info = await this.statFile(path);
    if (info.size > this.config.maxUploadBytes) throw fileTooLarge(path, info.size, this.config.maxUploadBytes);
    return { stream: createReadStream(path), size: info.size };
  }

  private async statFile(path: string): Promise<{ size: number }> {
    const info = await stat(path).catch(() => null);
    if (!info) throw fileNotFound(path);
    if (!info.isFile()) throw new RockletError(RockletErrorClass.InvalidParameter, `path: '${path}' is not a regular file`, { path });
    return info;
  }
}

function decode(bytes: Buffer, encoding: string, errors: string, path: string): string {
  switch (encoding) {
    case 'base64':
      return bytes.toString('base64');
    case 'latin-1':
    case 'latin1':
    case 'iso-8859-1':
      return bytes.toString('latin1');
    case 'ascii':
      return decodeAscii(bytes, errors, path);
    default:
      return decodeUtf8(bytes, errors, path);
  }
}

function decodeUtf8(bytes: Buffer, errors: string, path: string): string {
  if (errors === 'replace') return new TextDecoder('utf-8').decode(bytes);
  if (errors === 'ignore') return new TextDecoder('utf-8').decode(bytes).replace(/\uFFFD/g, '');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw decodeError(path, 'utf-8');
  }
}

function decodeAscii(bytes: Buffer, errors: string, path: string): string {
  const bad = bytes.findIndex((b) => b > 0x7f);
  if (bad < 0) return bytes.toString('latin1');
  if (errors === 'strict') throw decodeError(path, 'ascii');
  const keep = errors === 'ignore';
  return Array.from(bytes, (b) => (b <= 0x7f ? String.fromCharCode(b) : keep ? '' : '\uFFFD')).join('');
}

function decodeError(path: string, encoding: string): RockletError {
  return new RockletError(
    RockletErrorClass.FileDecode,
    `file '${path}' is not valid ${encoding}; pass errors: "replace" or encoding: "base64"`,
    { path, encoding },
  );
}
