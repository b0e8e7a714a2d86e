import { RuntimeError } from './runtime.errors';
import type { SandboxSpec } from './runtime.types';

const SANDBOX_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ENV_NAME = /^[^=\0]+$/;
const PULL_POLICIES = new Set(['never', 'missing', 'always']);

function positive(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function optionalPositive(value: unknown): boolean {
  return value === undefined || value === null || positive(value);
}

function envIssues(env: unknown): string[] {
  if (typeof env !== 'object' || env === null) return ['env: must be a map of strings'];
  const issues: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!ENV_NAME.test(key)) issues.push(`env.${key}: name must be non-empty without '=' or NUL`);
    if (typeof value !== 'string' || value.includes('\0')) issues.push(`env.${key}: value must be a string without NUL`);
  }
  return issues;
}

/** Every rule a {@link SandboxSpec} breaks, as "field: reason" strings (empty when valid). */
export function specIssues(spec: SandboxSpec): string[] {
  const issues: string[] = [];
  if (typeof spec.sandboxId !== 'string' || !SANDBOX_ID.test(spec.sandboxId))
    issues.push('sandboxId: must match [a-z0-9][a-z0-9-]{0,62}');
  if (typeof spec.image !== 'string' || spec.image.trim() === '') issues.push('image: must be a non-blank string');
  if (!positive(spec.memoryBytes) || !Number.isInteger(spec.memoryBytes))
    issues.push('memoryBytes: must be a positive integer');
  if (!positive(spec.cpus)) issues.push('cpus: must be a number > 0');
  if (!optionalPositive(spec.limitCpus)) issues.push('limitCpus: must be a number > 0 when set');
  if (spec.pidsLimit !== undefined && (!Number.isInteger(spec.pidsLimit) || spec.pidsLimit < 1))
    issues.push('pidsLimit: must be an integer >= 1');
  if (spec.numGpus != null && (!Number.isInteger(spec.numGpus) || spec.numGpus < 0))
    issues.push('numGpus: must be an integer >= 0');
  if (!PULL_POLICIES.has(spec.pull)) issues.push('pull: must be one of never, missing, always');
  if (!positive(spec.startupTimeoutMs)) issues.push('startupTimeoutMs: must be a number > 0');
  if (typeof spec.rockletToken !== 'string' || spec.rockletToken === '')
    issues.push('rockletToken: must be a non-empty string');
  return issues.concat(envIssues(spec.env));
}

/** Throws `INVALID_SPEC` listing every broken rule. */
export function assertValidSpec(spec: SandboxSpec): void {
  const issues = specIssues(spec);
  if (issues.length > 0) throw new RuntimeError('INVALID_SPEC', `Invalid sandbox spec: ${issues.join('; ')}`);
}

/** `extra` without keys in the reserved `rock.` namespace, which drivers own. */
export function userLabels(extra: Record<string, string> | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(extra ?? {})) if (!key.startsWith('rock.')) labels[key] = value;
  return labels;
}
