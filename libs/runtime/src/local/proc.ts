import { readdir, readFile } from 'node:fs/promises';

/** Fields of `/proc/<pid>/stat` the local driver needs. */
export interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgid: number;
  /** Clock ticks since boot when the process started; with the pid it identifies one process. */
  startTime: string;
}

/** Parses a `/proc/<pid>/stat` line (the command name may contain spaces and parentheses). */
export function parseProcStat(line: string): ProcStat | null {
  const close = line.lastIndexOf(')');
  if (close < 0) return null;
  const pid = Number(line.slice(0, line.indexOf(' ')));
  const rest = line.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); field N is rest[N - 3].
  if (rest.length < 20 || !Number.isInteger(pid)) return null;
  return { pid, state: rest[0], ppid: Number(rest[1]), pgid: Number(rest[2]), startTime: rest[19] };
}

/** The process's stat, or null when it does not exist or is a zombie. */
export async function readProcStat(pid: number): Promise<ProcStat | null> {
  try {
    const stat = parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
    return stat && stat.state !== 'Z' && stat.state !== 'X' ? stat : null;
  } catch {
    return null;
  }
}

/** True when `pid` runs and is the same process that started at `startTime` (no reused pid). */
export async function isSameProcess(pid: number, startTime: string): Promise<boolean> {
  const stat = await readProcStat(pid);
  return stat !== null && stat.startTime === startTime;
}

let statScan: Promise<ProcStat[]> | null = null;

/** Every live process's stat. Concurrent callers share one pass over /proc. */
function scanStats(): Promise<ProcStat[]> {
  statScan ??= (async () => {
    try {
      const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
      const stats = await Promise.all(pids.map((pid) => readProcStat(Number(pid))));
      return stats.filter((stat): stat is ProcStat => stat !== null);
    } finally {
      statScan = null;
    }
  })();
  return statScan;
}

/** Every live descendant of `root` (children, grandchildren, …), found through `/proc`. */
export async function descendants(root: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const stat of await scanStats()) {
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(stat.pid);
    children.set(stat.ppid, siblings);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

let environScan: Promise<Map<number, Buffer>> | null = null;

/** Every process's environment block. Concurrent callers share one pass over /proc. */
function scanEnvirons(): Promise<Map<number, Buffer>> {
  environScan ??= (async () => {
    try {
      const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
      const blocks = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/environ`).catch(() => null)));
      const map = new Map<number, Buffer>();
      pids.forEach((pid, i) => blocks[i] && map.set(Number(pid), blocks[i]));
      return map;
    } finally {
      environScan = null;
    }
  })();
  return environScan;
}

/**
 * Live processes whose environment holds exactly `entry` (`NAME=value`). Finds a sandbox's
 * processes even after they left its process group and were re-parented (daemonized).
 */
export async function processesWithEnv(entry: string): Promise<number[]> {
  const needle = Buffer.from(`${entry}\0`);
  const found: number[] = [];
  for (const [pid, environ] of await scanEnvirons()) {
    const at = environ.indexOf(needle);
    if (at === 0 || (at > 0 && environ[at - 1] === 0)) found.push(pid);
  }
  return found;
}
