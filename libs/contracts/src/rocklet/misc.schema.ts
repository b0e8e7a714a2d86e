import { z } from 'zod';

export const IsAliveResponseSchema = z.object({ is_alive: z.boolean(), message: z.string() });
export type IsAliveResponse = z.output<typeof IsAliveResponseSchema>;

/** GET /get_statistics: cpu/mem/disk in percent of the sandbox's limit, net in bytes (rx + tx). */
export const StatisticsResponseSchema = z.object({
  cpu: z.number(),
  mem: z.number(),
  disk: z.number(),
  net: z.number(),
});
export type StatisticsResponse = z.output<typeof StatisticsResponseSchema>;

/** WS /portforward?port=N: raw TCP to 127.0.0.1:N; 1024–65535 and never 22. */
export const PortForwardQuerySchema = z.object({
  port: z.coerce
    .number()
    .int('must be an integer')
    .min(1024, 'must be between 1024 and 65535')
    .max(65535, 'must be between 1024 and 65535')
    .refine((p) => p !== 22, 'must not be 22'),
});
export type PortForwardQuery = z.output<typeof PortForwardQuerySchema>;

/** Body of every rocklet error (HTTP 511). `class_path` is stable, e.g. `rocklet.SessionNotFound`. */
export const RockletExceptionBodySchema = z.object({
  rockletexception: z.object({
    message: z.string(),
    class_path: z.string(),
    extra_info: z.record(z.string(), z.unknown()),
  }),
});
export type RockletExceptionBody = z.output<typeof RockletExceptionBodySchema>;

/** Body of a 504 (request over its time budget). */
export const RockletTimeoutBodySchema = z.object({ detail: z.string() });
export type RockletTimeoutBody = z.output<typeof RockletTimeoutBodySchema>;

/** Stable `class_path` values the read service maps (e.g. SessionNotFound/SessionExists → 4000). */
export const RockletErrorClass = {
  InvalidParameter: 'rocklet.InvalidParameter',
  SessionNotFound: 'rocklet.SessionNotFound',
  SessionExists: 'rocklet.SessionExists',
  SessionBusy: 'rocklet.SessionBusy',
  SessionStartFailed: 'rocklet.SessionStartFailed',
  SessionDied: 'rocklet.SessionDied',
  BashSyntaxError: 'rocklet.BashSyntaxError',
  NonZeroExitCode: 'rocklet.NonZeroExitCodeError',
  CommandNotFound: 'rocklet.CommandNotFound',
  FileNotFound: 'rocklet.FileNotFound',
  FileTooLarge: 'rocklet.FileTooLarge',
  FileDecode: 'rocklet.FileDecodeError',
  Internal: 'rocklet.InternalError',
} as const;
export type RockletErrorClassPath = (typeof RockletErrorClass)[keyof typeof RockletErrorClass];
