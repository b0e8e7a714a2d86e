/**
 * Pure parsers for cgroup v1 and v2 accounting files (fixture-tested), and the percentage maths.
 * A limit of null means "no limit set at this level" (the caller falls back to the host's size).
 */

/** cgroup v2 `cpu.max`: "max 100000" → null; "200000 100000" → 2 CPUs. */
export function parseCpuMaxV2(text: string): number | null {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === 'max' || quota === undefined) return null;
  const q = Number(quota);
  const p = Number(period ?? '100000');
  return q > 0 && p > 0 ? q / p : null;
}

/** cgroup v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`: quota -1 → null. */
export function parseCpuQuotaV1(quotaText: string, periodText: string): number | null {
  const q = Number(quotaText.trim());
  const p = Number(periodText.trim());
  return q > 0 && p > 0 ? q / p : null;
}

/** cgroup v2 `cpu.stat` → usage in microseconds. */
export function parseCpuStatUsageUsecV2(text: string): number | null {
  const value = flatKeyed(text).usage_usec;
  return value === undefined ? null : value;
}

/** cgroup v1 `cpuacct.usage` (nanoseconds) → microseconds. */
export function parseCpuacctUsageV1(text: string): number | null {
  const ns = Number(text.trim());
  return Number.isFinite(ns) ? ns / 1000 : null;
}

/** v2 `memory.max` ("max" → null) or v1 `memory.limit_in_bytes` (≥ 2^60 means unlimited → null). */
export function parseMemoryLimit(text: string): number | null {
  const t = text.trim();
  if (t === 'max') return null;
  const n = Number(t);
  return Number.isFinite(n) && n > 0 && n < 2 ** 60 ? n : null;
}

/** `key value` lines (memory.stat, cpu.stat) → numbers. */
export function flatKeyed(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && Number.isFinite(Number(value))) out[key] = Number(value);
  }
  return out;
}

/**
 * Working-set memory as `docker stats` reports it: usage minus inactive file cache.
 * v2 memory.stat has `inactive_file`; v1 has `total_inactive_file`.
 */
export function workingSetBytes(usage: number, memoryStat: string): number {
  const stat = flatKeyed(memoryStat);
  const inactive = stat.total_inactive_file ?? stat.inactive_file ?? 0;
  return Math.max(0, usage - inactive);
}

/** /proc/meminfo `MemTotal` in bytes. */
export function parseMemTotal(meminfo: string): number | null {
  const m = /^MemTotal:\s+(\d+)\s*kB/m.exec(meminfo);
  return m ? Number(m[1]) * 1024 : null;
}

/** /proc/net/dev → received + transmitted bytes over every interface except loopback. */
export function parseNetDevBytes(text: string): number {
  let total = 0;
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === 'lo') continue;
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (f.length >= 9) total += (f[0] || 0) + (f[8] || 0);
  }
  return total;
}

/** CPU percent of the limit between two usage samples (µs) taken `wallUs` apart. */
export function cpuPercent(usageDeltaUs: number, wallUs: number, cpus: number): number {
  if (wallUs <= 0 || cpus <= 0) return 0;
  return round2(Math.min(100, Math.max(0, (usageDeltaUs / wallUs / cpus) * 100)));
}

export function percent(part: number, whole: number): number {
  return whole > 0 ? round2(Math.min(100, Math.max(0, (part / whole) * 100))) : 0;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
