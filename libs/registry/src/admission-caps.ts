import type { AdmissionLimitName, AdmissionLimits } from './results';

/** Encoded caps per limits object (a service passes the same one on every create). */
const capsJsonCache = new WeakMap<AdmissionLimits, string>();

/** The create script's caps argument: JSON with the limits that are set (an absent key is no cap). */
export function capsJson(limits: AdmissionLimits): string {
  let json = capsJsonCache.get(limits);
  if (json === undefined) {
    json = buildCapsJson(limits);
    capsJsonCache.set(limits, json);
  }
  return json;
}

function buildCapsJson(limits: AdmissionLimits): string {
  const millis = (cpus: number | null | undefined): number | undefined =>
    cpus === null || cpus === undefined ? undefined : Math.round(cpus * 1000);
  const caps: Record<AdmissionLimitName, number | null | undefined> = {
    max_sandboxes: limits.maxSandboxes,
    max_millicpus: millis(limits.maxCpus),
    max_memory_bytes: limits.maxMemoryBytes,
    owner_max_sandboxes: limits.perPrincipal?.maxSandboxes,
    owner_max_millicpus: millis(limits.perPrincipal?.maxCpus),
    owner_max_memory_bytes: limits.perPrincipal?.maxMemoryBytes,
    owner_creates_per_minute: limits.perPrincipal?.createsPerMinute,
  };
  return JSON.stringify(Object.fromEntries(Object.entries(caps).filter(([, v]) => v !== null && v !== undefined)));
}
