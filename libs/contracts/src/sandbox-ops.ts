import { z } from 'zod';
import { nonBlankString } from './primitives';
import {
  CloseSessionRequestSchema,
  CreateSessionRequestSchema,
  DownloadQuerySchema,
  ExecuteRequestSchema,
  ReadFileRequestSchema,
  RunInSessionRequestSchema,
  UploadFieldsSchema,
  WriteFileRequestSchema,
} from './rocklet';

/**
 * Sandbox-API runtime routes (API.md §3) = the rocklet's request shape (API.md §5, defined once in
 * ./rocklet) plus the `sandbox_id` that routes the call. Responses are the rocklet's response
 * schemas unchanged (`ExecuteResponseSchema`, `RunInSessionResponseSchema`, …).
 */
const sandboxRef = { sandbox_id: nonBlankString };

/** `POST /execute`. */
export const SandboxExecuteRequestSchema = ExecuteRequestSchema.extend(sandboxRef);
export type SandboxExecuteRequest = z.output<typeof SandboxExecuteRequestSchema>;

/** `POST /create_session`. */
export const SandboxCreateSessionRequestSchema = CreateSessionRequestSchema.extend(sandboxRef);
export type SandboxCreateSessionRequest = z.output<typeof SandboxCreateSessionRequestSchema>;

/** `POST /run_in_session`. */
export const SandboxRunInSessionRequestSchema = RunInSessionRequestSchema.extend(sandboxRef);
export type SandboxRunInSessionRequest = z.output<typeof SandboxRunInSessionRequestSchema>;

/** `POST /close_session`. */
export const SandboxCloseSessionRequestSchema = CloseSessionRequestSchema.extend(sandboxRef);
export type SandboxCloseSessionRequest = z.output<typeof SandboxCloseSessionRequestSchema>;

/** `POST /read_file`. */
export const SandboxReadFileRequestSchema = ReadFileRequestSchema.extend(sandboxRef);
export type SandboxReadFileRequest = z.output<typeof SandboxReadFileRequestSchema>;

/** `POST /write_file`. */
export const SandboxWriteFileRequestSchema = WriteFileRequestSchema.extend(sandboxRef);
export type SandboxWriteFileRequest = z.output<typeof SandboxWriteFileRequestSchema>;

/** Text fields of the multipart `POST /upload` (the `file` part is streamed, never buffered). */
export const SandboxUploadFieldsSchema = UploadFieldsSchema.extend(sandboxRef);
export type SandboxUploadFields = z.output<typeof SandboxUploadFieldsSchema>;

/** `GET /download?sandbox_id=&path=` **[ext]**. */
export const SandboxDownloadQuerySchema = DownloadQuerySchema.extend(sandboxRef);
export type SandboxDownloadQuery = z.output<typeof SandboxDownloadQuerySchema>;
