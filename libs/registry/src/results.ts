import { AdmissionRejectedError, SandboxAlreadyExistsError, type SandboxState } from '@rock/contracts';
import type { SandboxRecord } from './record';

/** Names of admission limits, as the create script reports them. */
export type AdmissionLimitName =
  | 'max_sandboxes'
  | 'max_millicpus'
  | 'max_memory_bytes'
  | 'owner_max_sandboxes'
  | 'owner_max_millicpus'
  | 'owner_max_memory_bytes'
  | 'owner_creates_per_minute';

/** Caps checked atomically at create; absent or `null` = no cap. */
export interface AdmissionLimits {
  maxSandboxes?: number | null;
  maxCpus?: number | null;
  maxMemoryBytes?: number | null;
  perPrincipal?: {
    maxSandboxes?: number | null;
    maxCpus?: number | null;
    maxMemoryBytes?: number | null;
    createsPerMinute?: number | null;
  };
}

/**
 * Outcome of `create` (expected outcomes are values, STYLE §5). For a rejection `current` and
 * `max` are in the limit's unit (count, millicpus or bytes).
 */
export type CreateResult =
  | { ok: true; record: SandboxRecord }
  | { ok: false; reason: 'exists'; state: SandboxState }
  | { ok: false; reason: 'rejected'; limit: AdmissionLimitName; current: number; max: number };

/** Outcome of `transition` and `patch`. */
export type TransitionResult =
  | { ok: true; from: SandboxState; record: SandboxRecord }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'illegal'; current: SandboxState };

/** Outcome of `waitForState`. */
export type WaitResult =
  | { ok: true; record: SandboxRecord }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'timeout'; record: SandboxRecord };

/** Running totals of live sandboxes (global or per owner). */
export interface LiveTotals {
  count: number;
  cpus: number;
  memoryBytes: number;
}

/** A human sentence for a rejection, naming the cap (`"too many live sandboxes (10 of 10)"`). */
export function describeRejection(limit: AdmissionLimitName, current: number, max: number): string {
  const cpus = (m: number): string => String(m / 1000);
  const gib = (b: number): string => `${(b / 1024 ** 3).toFixed(2)} GiB`;
  switch (limit) {
    case 'max_sandboxes':
      return `capacity reached: ${current} of ${max} live sandboxes`;
    case 'max_millicpus':
      return `capacity reached: ${cpus(current)} of ${cpus(max)} CPUs already requested`;
    case 'max_memory_bytes':
      return `capacity reached: ${gib(current)} of ${gib(max)} memory already requested`;
    case 'owner_max_sandboxes':
      return `quota reached: ${current} of ${max} live sandboxes for this principal`;
    case 'owner_max_millicpus':
      return `quota reached: ${cpus(current)} of ${cpus(max)} CPUs for this principal`;
    case 'owner_max_memory_bytes':
      return `quota reached: ${gib(current)} of ${gib(max)} memory for this principal`;
    case 'owner_creates_per_minute':
      return `rate limit: ${current} of ${max} creates this minute for this principal`;
  }
}

/** A refused create. */
export type CreateRefusal = Exclude<CreateResult, { ok: true }>;

/**
 * The typed error for a refused create: `SandboxAlreadyExistsError` ("Sandbox X already exists",
 * 4000/409) or `AdmissionRejectedError` (4000/429, Retry-After: to the next minute for the rate
 * limit, else 5 s).
 */
export function createRefusalError(
  sandboxId: string,
  refusal: CreateRefusal,
  nowMs: number = Date.now(),
): SandboxAlreadyExistsError | AdmissionRejectedError {
  if (refusal.reason === 'exists') return new SandboxAlreadyExistsError(sandboxId);
  const retryAfter = refusal.limit === 'owner_creates_per_minute' ? Math.ceil((60_000 - (nowMs % 60_000)) / 1000) : 5;
  return new AdmissionRejectedError(refusal.limit, describeRejection(refusal.limit, refusal.current, refusal.max), retryAfter);
}
