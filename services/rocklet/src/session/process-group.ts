import { readFileSync } from 'node:fs';

/**
 * Fields of /proc/<pid>/stat after the parenthesised command name (which may itself contain
 * spaces and parentheses). Index 0 is `state` (field 3 of proc(5)).
 */
export function parseProcStat(text: string): { pgrp: number; session: number; tpgid: number } | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const fields = text.slice(close + 2).trim().split(/\s+/);
  // proc(5): 3 state, 4 ppid, 5 pgrp, 6 session, 7 tty_nr, 8 tpgid.
  const pgrp = Number(fields[2]);
  const session = Number(fields[3]);
  const tpgid = Number(fields[5]);
  if (![pgrp, session, tpgid].every(Number.isInteger)) return null;
  return { pgrp, session, tpgid };
}

/**
 * The foreground process group of the terminal `pid` controls (its tpgid), or null when it is
 * the shell's own group, unknown, or the process is gone. No `ps` needed: reads /proc only.
 */
export function foregroundGroupOf(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const stat = parseProcStat(text);
  if (!stat || stat.tpgid <= 0 || stat.tpgid === stat.pgrp) return null;
  return stat.tpgid;
}

/** Sends `signal` to process group `pgid`; false when it no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Signals every process whose session id is `sid` (a shell and all its jobs), via /proc. */
export function signalSession(sid: number, readdir: () => string[], signal: NodeJS.Signals = 'SIGKILL'): number {
  let killed = 0;
  for (const entry of readdir()) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: ReturnType<typeof parseProcStat>;
    try {
      stat = parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
    } catch {
      continue;
    }
    if (stat?.session !== sid) continue;
    try {
      process.kill(Number(entry), signal);
      killed += 1;
    } catch {
      // already gone
    }
  }
  return killed;
}
