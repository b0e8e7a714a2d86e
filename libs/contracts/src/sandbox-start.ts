import { z } from 'zod';
import {
  EnvMapSchema,
  newSandboxId,
  nonBlankString,
  nullable,
  numberLike,
  SandboxIdSchema,
  dockerSize,
  StringMapSchema,
  withDefault,
} from './primitives';
import { parseSizeToBytes } from './sizes';

/** Image pull policy (API.md §2). */
export const PullPolicySchema = z.enum(['never', 'missing', 'always']);
export type PullPolicy = z.infer<typeof PullPolicySchema>;

/** Docker refuses memory limits below 6 MiB. */
export const MIN_MEMORY_BYTES = 6 * 1024 * 1024;

const positiveNumber = numberLike(z.number().gt(0));
const positiveInt = numberLike(z.number().int().gte(1));
const nonNegativeInt = numberLike(z.number().int().gte(0));

const startRequestFields = z.object({
  image: nonBlankString,
  sandbox_id: withDefault(SandboxIdSchema, newSandboxId),
  memory: withDefault(dockerSize('lower', MIN_MEMORY_BYTES), '8g'),
  cpus: withDefault(positiveNumber, 2),
  limit_cpus: nullable(positiveNumber),
  disk: withDefault(dockerSize('upper'), '50G'),
  auto_clear_time_minutes: nullable(positiveInt),
  auto_clear_time: nullable(positiveInt),
  startup_timeout: nullable(positiveNumber),
  pull: withDefault(PullPolicySchema, 'missing'),
  image_os: withDefault(nonBlankString, 'linux'),
  env: withDefault(EnvMapSchema, () => ({})),
  env_vars: withDefault(EnvMapSchema, () => ({})),
  metadata: withDefault(StringMapSchema, () => ({})),
  num_gpus: nullable(nonNegativeInt),
  accelerator_type: nullable(z.string()),
  registry_username: nullable(z.string()),
  registry_password: nullable(z.string()),
  auto_delete_seconds: nullable(nonNegativeInt),
  auto_archive_seconds: nullable(nonNegativeInt),
});

/**
 * `SandboxStartRequest` (API.md §2) for `/start` and `/start_async`. Unknown fields are ignored;
 * `null` means "default". The output is normalised: `auto_clear_time` is folded into
 * `auto_clear_time_minutes`, `env_vars` merged under `env` (so `env` wins on a clash), sizes
 * canonical (`memory` `"512m"`, `disk` `"50G"`) with their byte counts alongside. Server defaults
 * (`auto_clear_time_minutes`, `startup_timeout`) stay `null` here; apply them with
 * {@link applyServerDefaults}.
 */
export const SandboxStartRequestSchema = startRequestFields
  .superRefine((req, ctx) => {
    if (req.limit_cpus !== null && req.limit_cpus < req.cpus) {
      ctx.addIssue({ code: 'custom', path: ['limit_cpus'], message: 'must be >= cpus' });
    }
  })
  .transform(({ auto_clear_time, env_vars, ...req }) => ({
    ...req,
    auto_clear_time_minutes: req.auto_clear_time_minutes ?? auto_clear_time,
    env: { ...env_vars, ...req.env },
    memory_bytes: parseSizeToBytes(req.memory) ?? 0,
    disk_bytes: parseSizeToBytes(req.disk) ?? 0,
  }));
export type SandboxStartRequest = z.output<typeof SandboxStartRequestSchema>;
/** What a client may send (before defaults and normalisation). */
export type SandboxStartRequestInput = z.input<typeof SandboxStartRequestSchema>;

/** Server-side defaults from configuration. */
export interface StartDefaults {
  autoClearMinutes: number;
  startupTimeoutSeconds: number;
}

/** A start request with every server default applied: nothing left `null` that has a default. */
export type ResolvedSandboxStartRequest = Omit<SandboxStartRequest, 'auto_clear_time_minutes' | 'startup_timeout'> & {
  auto_clear_time_minutes: number;
  startup_timeout: number;
};

/** Fills `auto_clear_time_minutes` and `startup_timeout` from the server's configuration. */
export function applyServerDefaults(req: SandboxStartRequest, defaults: StartDefaults): ResolvedSandboxStartRequest {
  return {
    ...req,
    auto_clear_time_minutes: req.auto_clear_time_minutes ?? defaults.autoClearMinutes,
    startup_timeout: req.startup_timeout ?? defaults.startupTimeoutSeconds,
  };
}

/** Headers read at create time (API.md §2), each defaulting to `"default"`. */
export const CALLER_HEADERS = {
  user_id: 'x-user-id',
  experiment_id: 'x-experiment-id',
  namespace: 'x-namespace',
  cluster: 'x-cluster',
} as const;

/** Who asked for a sandbox, from the create-time headers. */
export interface CallerContext {
  user_id: string;
  experiment_id: string;
  namespace: string;
  cluster: string;
}

/** Reads {@link CALLER_HEADERS} from lower-cased request headers; blank or missing → `"default"`. */
export function callerFromHeaders(headers: Record<string, string | string[] | undefined>): CallerContext {
  const pick = (name: string): string => {
    const raw = headers[name];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    return value ? value : 'default';
  };
  return {
    user_id: pick(CALLER_HEADERS.user_id),
    experiment_id: pick(CALLER_HEADERS.experiment_id),
    namespace: pick(CALLER_HEADERS.namespace),
    cluster: pick(CALLER_HEADERS.cluster),
  };
}
