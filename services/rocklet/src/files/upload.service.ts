import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { parseOrThrow, RockletErrorClass, UploadFieldsSchema, type UploadResponse } from '@rock/contracts';
import { invalidParameter, RockletError } from '../errors';
import type { RockletConfig } from '../rocklet.config';
import { makeDirectories } from './make-directories';
import { extractZip } from './unzip';

/** One multipart part as the route sees it (decoupled from @fastify/multipart's types). */
export type UploadPart =
  | { type: 'field'; name: string; value: string }
  | { type: 'file'; name: string; filename: string; stream: Readable & { truncated?: boolean } };

/**
 * POST /upload: the `file` part is streamed to disk (never buffered whole). When `target_path`
 * precedes the file (as ROCK's SDK sends it) the bytes go to a temporary name beside the target
 * and are renamed; otherwise they are staged in the work dir and moved. `unzip` extracts the
 * archive into `target_path` (a directory) and removes the archive.
 */
export class UploadService {
  constructor(private readonly config: RockletConfig) {}

  async receive(parts: AsyncIterable<UploadPart>): Promise<UploadResponse> {
    const fields: Record<string, string> = {};
    let staged: string | null = null;
    try {
      for await (const part of parts) {
        if (part.type === 'field') fields[part.name] = part.value;
        else if (part.name === 'file' && staged === null) staged = await this.stage(part, fields.target_path);
        else part.stream.resume();
      }
      if (staged === null) throw invalidParameter('file: a multipart part named "file" is required');
      const { target_path: target, unzip } = parseOrThrow(UploadFieldsSchema, fields);
      if (unzip) await extractZip(staged, target);
      else await moveInto(staged, target);
      return { success: true, message: unzip ? `extracted into ${target}` : '', file_name: target };
    } finally {
      if (staged !== null) await rm(staged, { force: true });
    }
  }

  private async stage(part: Extract<UploadPart, { type: 'file' }>, target: string | undefined): Promise<string> {
    const dir = target?.startsWith('/') && !target.endsWith('/') ? dirname(target) : this.config.workDir;
    await makeDirectories(dir);
    const staged = join(dir, `.${basename(target ?? 'upload')}.rocklet-${randomBytes(6).toString('hex')}`);
    try {
      await pipeline(part.stream, createWriteStream(staged, { mode: 0o644 }));
    } catch (err) {
      await rm(staged, { force: true });
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
        throw this.tooLarge(target ?? part.filename);
      }
      throw err;
    }
    if (part.stream.truncated) {
      await rm(staged, { force: true });
      throw this.tooLarge(target ?? part.filename);
    }
    return staged;
  }

  private tooLarge(path: string): RockletError {
    const limit = this.config.maxUploadBytes;
    return new RockletError(RockletErrorClass.FileTooLarge, `upload '${path}' exceeds the limit of ${limit} bytes`, { path, limit });
  }
}

async function moveInto(staged: string, target: string): Promise<void> {
  await makeDirectories(dirname(target));
  try {
    await rename(staged, target);
  } catch (err) {
    if ((err as { code?: string }).code !== 'EXDEV') throw err;
    await copyFile(staged, target);
  }
}
