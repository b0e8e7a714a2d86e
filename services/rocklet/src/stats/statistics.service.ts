import { readFile, statfs } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { StatisticsResponse } from '@rock/contracts';
import * as cgroup from './cgroup';

/** Interval between the two CPU samples of one request (a bounded wait). */
const CPU_SAMPLE_MS = 100;

interface CgroupFiles {
  cpuUsage: () => Promise<number | null>;
  cpuLimit: () => Promise<number | null>;
  memUsage: () => Promise<number | null>;
  memLimit: () => Promise<number | null>;
}

const read = (path: string): Promise<string | null> => readFile(path, 'utf8').catch(() => null);
const num = (text: string | null): number | null => (text === null || !Number.isFinite(Number(text.trim())) ? null : Number(text.trim()));

function v2Files(root: string): CgroupFiles {
  return {
    cpuUsage: async () => cgroup.parseCpuStatUsageUsecV2((await read(`${root}/cpu.stat`)) ?? ''),
    cpuLimit: async () => cgroup.parseCpuMaxV2((await read(`${root}/cpu.max`)) ?? 'max'),
    memUsage: async () => {
      const usage = num(await read(`${root}/memory.current`));
      return usage === null ? null : cgroup.workingSetBytes(usage, (await read(`${root}/memory.stat`)) ?? '');
    },
    memLimit: async () => cgroup.parseMemoryLimit((await read(`${root}/memory.max`)) ?? 'max'),
  };
}

function v1Files(root: string): CgroupFiles {
  return {
    cpuUsage: async () => cgroup.parseCpuacctUsageV1((await read(`${root}/cpuacct/cpuacct.usage`)) ?? 'x'),
    cpuLimit: async () =>
      cgroup.parseCpuQuotaV1((await read(`${root}/cpu/cpu.cfs_quota_us`)) ?? '-1', (await read(`${root}/cpu/cpu.cfs_period_us`)) ?? '0'),
    memUsage: async () => {
      const usage = num(await read(`${root}/memory/memory.usage_in_bytes`));
      return usage === null ? null : cgroup.workingSetBytes(usage, (await read(`${root}/memory/memory.stat`)) ?? '');
    },
    memLimit: async () => cgroup.parseMemoryLimit((await read(`${root}/memory/memory.limit_in_bytes`)) ?? 'max'),
  };
}

/**
 * GET /get_statistics: cpu/mem/disk as percent of the sandbox's limits (cgroup v2 or v1, as seen
 * from inside the container; host totals when no limit is set), net as rx+tx bytes.
 */
export class StatisticsService {
  private files: Promise<CgroupFiles> | null = null;

  constructor(private readonly cgroupRoot = '/sys/fs/cgroup') {}

  async collect(): Promise<StatisticsResponse> {
    const files = await (this.files ??= this.detect());
    const [cpu, mem, disk, net] = await Promise.all([this.cpu(files), this.mem(files), this.disk(), this.net()]);
    return { cpu, mem, disk, net };
  }

  private async detect(): Promise<CgroupFiles> {
    const v2 = (await read(`${this.cgroupRoot}/cgroup.controllers`)) !== null;
    return v2 ? v2Files(this.cgroupRoot) : v1Files(this.cgroupRoot);
  }

  private async cpu(files: CgroupFiles): Promise<number> {
    const first = await files.cpuUsage();
    const started = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, CPU_SAMPLE_MS));
    const second = await files.cpuUsage();
    const wallUs = Number(process.hrtime.bigint() - started) / 1000;
    if (first === null || second === null) return 0;
    const cpus = (await files.cpuLimit()) ?? availableParallelism();
    return cgroup.cpuPercent(second - first, wallUs, cpus);
  }

  private async mem(files: CgroupFiles): Promise<number> {
    const usage = await files.memUsage();
    const limit = (await files.memLimit()) ?? cgroup.parseMemTotal((await read('/proc/meminfo')) ?? '');
    return usage === null || limit === null ? 0 : cgroup.percent(usage, limit);
  }

  private async disk(): Promise<number> {
    const fs = await statfs('/').catch(() => null);
    if (!fs || fs.blocks === 0) return 0;
    return cgroup.percent(fs.blocks - fs.bfree, fs.blocks);
  }

  private async net(): Promise<number> {
    return cgroup.parseNetDevBytes((await read('/proc/net/dev')) ?? '');
  }
}
