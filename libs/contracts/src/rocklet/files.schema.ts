import { z } from 'zod';

const absolutePath = z.string().min(1, 'must not be empty').refine((p) => p.startsWith('/'), 'must be an absolute path');

/** Python-style names accepted by read_file; mapped to Node encodings by the rocklet. */
export const FileEncodingSchema = z.enum(['utf-8', 'utf8', 'ascii', 'latin-1', 'latin1', 'iso-8859-1', 'base64']);
export type FileEncoding = z.output<typeof FileEncodingSchema>;

/** POST /read_file. `errors`: `strict` fails on bytes invalid in `encoding`; `replace` uses U+FFFD; `ignore` drops them. */
export const ReadFileRequestSchema = z.object({
  path: absolutePath,
  encoding: FileEncodingSchema.nullish(),
  errors: z.enum(['strict', 'replace', 'ignore']).nullish(),
});
export type ReadFileRequest = z.output<typeof ReadFileRequestSchema>;

export const ReadFileResponseSchema = z.object({ content: z.string() });
export type ReadFileResponse = z.output<typeof ReadFileResponseSchema>;

/** POST /write_file: UTF-8 `content`, parent directories created. */
export const WriteFileRequestSchema = z.object({ path: absolutePath, content: z.string() });
export type WriteFileRequest = z.output<typeof WriteFileRequestSchema>;

export const WriteFileResponseSchema = z.object({ success: z.boolean(), message: z.string() });
export type WriteFileResponse = z.output<typeof WriteFileResponseSchema>;

/** Multipart text fields of POST /upload (the `file` part is streamed separately). */
export const UploadFieldsSchema = z.object({
  target_path: absolutePath,
  unzip: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'True', 'False'])])
    .default(false)
    .transform((v) => v === true || v === 'true' || v === '1' || v === 'True'),
});
export type UploadFields = z.output<typeof UploadFieldsSchema>;

export const UploadResponseSchema = z.object({ success: z.boolean(), message: z.string(), file_name: z.string() });
export type UploadResponse = z.output<typeof UploadResponseSchema>;

/** GET /download?path= [ext]. */
export const DownloadQuerySchema = z.object({ path: absolutePath });
export type DownloadQuery = z.output<typeof DownloadQuerySchema>;
