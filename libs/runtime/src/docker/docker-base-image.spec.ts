import { Header } from 'tar';
import { baseRootfsTar } from './docker-base-image';

describe('baseRootfsTar', () => {
  it('is three valid ustar directory headers (tmp sticky 1777) followed by the two-block end marker', () => {
    const archive = baseRootfsTar(1_700_000_000);
    expect(archive.length).toBe(5 * 512);
    const entries = [0, 1, 2].map((i) => new Header(archive, i * 512));
    expect(entries.map((h) => ({ path: h.path, type: h.type, mode: h.mode, ok: h.cksumValid, uid: h.uid, size: h.size }))).toEqual([
      { path: 'etc/', type: 'Directory', mode: 0o755, ok: true, uid: 0, size: 0 },
      { path: 'root/', type: 'Directory', mode: 0o700, ok: true, uid: 0, size: 0 },
      { path: 'tmp/', type: 'Directory', mode: 0o1777, ok: true, uid: 0, size: 0 },
    ]);
    expect(entries[0].mtime?.getTime()).toBe(1_700_000_000_000);
    expect(archive.subarray(3 * 512).every((b) => b === 0)).toBe(true);
  });
});
