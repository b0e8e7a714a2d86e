import type { ChildProcess } from 'node:child_process';
import { releasePort, reservePort } from './free-port';
import { localLaunch } from './local-command';
import { spawnDetached } from './local-process';
import { readProcStat } from './proc';

/** Where and how one rocklet host process starts (a sandbox's or a warm-pool slot's). */
export interface RockletSpawn {
  /** Sandbox id or pool slot name: the bwrap host name. */
  name: string;
  rockletCommand: string[];
  host: string;
  /** Working directory and `HOME`. */
  home: string;
  /** stdout and stderr are appended here. */
  logPath: string;
  env: Record<string, string>;
  bwrapPath: string | null;
  dieWithParent: boolean;
}

/** A started rocklet; its port stays reserved until the caller calls {@link releasePort}. */
export interface SpawnedRocklet {
  child: ChildProcess;
  pid: number;
  /** `/proc/<pid>/stat` start time (null only if the process already vanished). */
  startTime: string | null;
  port: number;
}

/**
 * Reserves a free port and starts rocklet on it (through bwrap when `bwrapPath` is set) as the
 * leader of its own process group. Resolves once the process runs, not once rocklet answers.
 */
export async function spawnRocklet(input: RockletSpawn): Promise<SpawnedRocklet> {
  const port = await reservePort(input.host);
  try {
    const { file, args } = localLaunch({
      rockletCommand: input.rockletCommand,
      host: input.host,
      port,
      sandboxId: input.name,
      home: input.home,
      bwrapPath: input.bwrapPath,
      dieWithParent: input.dieWithParent,
    });
    const child = await spawnDetached(file, args, { cwd: input.home, env: input.env, logPath: input.logPath });
    const pid = child.pid as number;
    const stat = await readProcStat(pid);
    return { child, pid, startTime: stat?.startTime ?? null, port };
  } catch (err) {
    releasePort(port);
    throw err;
  }
}
