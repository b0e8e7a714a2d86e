import type { Clock } from '../poll';
import type { RuntimeLogger } from '../runtime.types';
import type { WarmPoolObserver } from './warm-pool';

/** Configuration of `LocalRuntime`. */
export interface LocalRuntimeOptions {
  /** Absolute directory holding one sub-directory per sandbox (e.g. `/tmp/rock-local`). */
  rootDir: string;
  /** Recorded in every sandbox's state; list/inspect/destroy only see this instance's sandboxes. */
  instance: string;
  /** Rocklet argv prefix (see `bundleRockletCommand`); `--host` and `--port` are appended. */
  rockletCommand: string[];
  /** `auto` (default): bubblewrap when it works here, else plain processes. */
  isolation?: 'auto' | 'bwrap' | 'none';
  /** Default `/usr/bin/bwrap`. */
  bwrapPath?: string;
  /** Sandboxes die with the control plane process (bwrap only; default true). */
  dieWithParent?: boolean;
  /** Interface rocklet binds (default `127.0.0.1`). */
  host?: string;
  /** Environment every sandbox starts from (e.g. PATH), under the spec's env. */
  baseEnv?: Record<string, string>;
  /** Reported `host_name` (default: this machine's host name). */
  hostName?: string;
  /** Upper bound of one `/is_alive` probe (default 1000 ms). */
  probeTimeoutMs?: number;
  /**
   * Rocklets booting at once (default: unlimited). Boot is CPU-bound (~0.3 CPU-s each); a limit
   * protects a shared host from bursts, but measured on a busy 2-core host it made a burst of 100
   * finish later (p50 10 s → 10 s, all 10 s → 23 s), so it is off by default.
   */
  maxConcurrentStarts?: number;
  /**
   * Pre-started rocklets (see `LocalWarmPool`); filled by `LocalRuntime.start`,
   * drained by `close()`. Absent or size 0: every create starts its rocklet cold.
   */
  warmPool?: { size: number; maxConcurrentSpawns?: number; observer?: WarmPoolObserver };
  clock?: Clock;
  logger?: RuntimeLogger;
}
