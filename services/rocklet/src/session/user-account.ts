import { readFileSync } from 'node:fs';

export interface UserAccount {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** Parses /etc/passwd text (name:pw:uid:gid:gecos:home:shell) looking for `name`. */
export function findPasswdEntry(passwd: string, name: string): UserAccount | null {
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || f[0] !== name) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) return null;
    return { name, uid, gid, home: f[5] || '/' };
  }
  return null;
}

/** Looks `name` up in the image's /etc/passwd (no `getent`, `su` or libc needed). */
export function lookupUser(name: string, passwdPath = '/etc/passwd'): UserAccount | null {
  try {
    return findPasswdEntry(readFileSync(passwdPath, 'utf8'), name);
  } catch {
    return null;
  }
}
