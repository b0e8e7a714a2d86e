import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirectories } from './make-directories';

describe('makeDirectories', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'rocklet-mkdirs-'));
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('creates every missing level, and is a no-op for an existing directory', async () => {
    const deep = join(root, 'a', 'b', 'c');
    await makeDirectories(deep);
    expect((await stat(deep)).isDirectory()).toBe(true);
    await expect(makeDirectories(deep)).resolves.toBeUndefined();
    await expect(makeDirectories('/')).resolves.toBeUndefined();
  });

  it('survives concurrent calls creating the same tree', async () => {
    const deep = join(root, 'x', 'y', 'z');
    await Promise.all([makeDirectories(deep), makeDirectories(deep), makeDirectories(join(deep, 'w'))]);
    expect((await stat(join(deep, 'w'))).isDirectory()).toBe(true);
  });

  it('rejects with EEXIST when a level is a file', async () => {
    await writeFile(join(root, 'file'), 'x');
    await expect(makeDirectories(join(root, 'file'))).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(makeDirectories(join(root, 'file', 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('settles with ENOENT under /proc, where recursive mkdir never settles', async () => {
    await expect(makeDirectories('/proc/rock-no-such-dir/sub')).rejects.toMatchObject({ code: 'ENOENT', path: '/proc/rock-no-such-dir' });
  });
});
