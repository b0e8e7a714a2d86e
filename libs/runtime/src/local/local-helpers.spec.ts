import { bundleRockletCommand, localLaunch } from './local-command';
import { parseProcStat } from './proc';

describe('localLaunch', () => {
  const base = {
    rockletCommand: bundleRockletCommand('/opt/bundle'),
    host: '127.0.0.1',
    port: 40001,
    sandboxId: 'sbx-1',
    home: '/tmp/rock-local/sbx-1/home',
    dieWithParent: true,
  };

  it('runs rocklet directly through the bundle loader when there is no bwrap', () => {
    expect(localLaunch({ ...base, bwrapPath: null })).toEqual({
      file: '/opt/bundle/lib/ld-linux-x86-64.so.2',
      args: ['--library-path', '/opt/bundle/lib', '/opt/bundle/bin/node', '/opt/bundle/rocklet.js', '--host', '127.0.0.1', '--port', '40001'],
    });
  });

  it('wraps rocklet in bwrap with new pid/ipc/uts namespaces, its home and die-with-parent', () => {
    const { file, args } = localLaunch({ ...base, bwrapPath: '/usr/bin/bwrap' });
    expect(file).toBe('/usr/bin/bwrap');
    expect(args).toEqual(expect.arrayContaining(['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--die-with-parent']));
    expect(args).not.toContain('--unshare-net');
    expect(args.join(' ')).toContain('--hostname sbx-1');
    expect(args.join(' ')).toContain('--chdir /tmp/rock-local/sbx-1/home --setenv HOME /tmp/rock-local/sbx-1/home');
    expect(args.slice(args.indexOf('--') + 1)).toEqual([...base.rockletCommand, '--host', '127.0.0.1', '--port', '40001']);
    expect(localLaunch({ ...base, bwrapPath: '/usr/bin/bwrap', dieWithParent: false }).args).not.toContain('--die-with-parent');
  });
});

describe('parseProcStat', () => {
  it('reads state, ppid, pgid and start time even when the command name has spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[0] = 'S';
    fields[1] = '77';
    fields[2] = '4242';
    fields[19] = '987654';
    const stat = parseProcStat(`4242 (node (rock) x) ${fields.join(' ')}`);
    expect(stat).toEqual({ pid: 4242, state: 'S', ppid: 77, pgid: 4242, startTime: '987654' });
  });

  it('rejects garbage', () => {
    expect(parseProcStat('nonsense')).toBeNull();
  });
});
