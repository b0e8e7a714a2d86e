import { parseProcStat } from './process-group';
import { findPasswdEntry } from './user-account';

describe('parseProcStat', () => {
  it('reads pgrp, session and tpgid after a command name with spaces and parens', () => {
    const text = '4242 (my (weird) cmd) S 4200 4242 4100 34816 4250 4194560 100 0 0 0';
    expect(parseProcStat(text)).toEqual({ pgrp: 4242, session: 4100, tpgid: 4250 });
  });

  it('returns null on garbage', () => {
    expect(parseProcStat('nonsense')).toBeNull();
  });
});

describe('findPasswdEntry', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n';
  it('finds a user', () => {
    expect(findPasswdEntry(passwd, 'nobody')).toEqual({ name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' });
  });
  it('returns null for an unknown user', () => {
    expect(findPasswdEntry(passwd, 'alice')).toBeNull();
  });
});
