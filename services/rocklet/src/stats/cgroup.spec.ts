import {
  cpuPercent,
  parseCpuacctUsageV1,
  parseCpuMaxV2,
  parseCpuQuotaV1,
  parseCpuStatUsageUsecV2,
  parseMemoryLimit,
  parseMemTotal,
  parseNetDevBytes,
  percent,
  workingSetBytes,
} from './cgroup';

describe('cgroup v2 parsing', () => {
  it('reads cpu.max', () => {
    expect(parseCpuMaxV2('max 100000\n')).toBeNull();
    expect(parseCpuMaxV2('150000 100000\n')).toBe(1.5);
  });
  it('reads usage_usec from cpu.stat', () => {
    const stat = 'usage_usec 8123456\nuser_usec 6000000\nsystem_usec 2123456\nnr_periods 0\n';
    expect(parseCpuStatUsageUsecV2(stat)).toBe(8123456);
  });
  it('reads memory.max and subtracts inactive_file', () => {
    expect(parseMemoryLimit('max\n')).toBeNull();
    expect(parseMemoryLimit('536870912\n')).toBe(536870912);
    expect(workingSetBytes(300, 'anon 100\nfile 200\ninactive_file 120\nactive_file 80\n')).toBe(180);
  });
});

describe('cgroup v1 parsing', () => {
  it('reads cfs quota and period', () => {
    expect(parseCpuQuotaV1('-1\n', '100000\n')).toBeNull();
    expect(parseCpuQuotaV1('200000\n', '100000\n')).toBe(2);
  });
  it('reads cpuacct.usage in ns as µs', () => {
    expect(parseCpuacctUsageV1('5000000000\n')).toBe(5_000_000);
  });
  it('treats the huge v1 default limit as unlimited and uses total_inactive_file', () => {
    expect(parseMemoryLimit('9223372036854771712\n')).toBeNull();
    expect(parseMemoryLimit('1073741824\n')).toBe(1073741824);
    expect(workingSetBytes(1000, 'cache 500\ninactive_file 1\ntotal_inactive_file 400\n')).toBe(600);
  });
});

describe('host files and maths', () => {
  it('reads MemTotal', () => {
    expect(parseMemTotal('MemTotal:        8000000 kB\nMemFree: 1 kB\n')).toBe(8_192_000_000);
  });
  it('sums rx+tx bytes except loopback', () => {
    const dev = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo:  999999     100    0    0    0     0          0         0   999999     100    0    0    0     0       0          0',
      '  eth0:    1000      10    0    0    0     0          0         0      234       3    0    0    0     0       0          0',
    ].join('\n');
    expect(parseNetDevBytes(dev)).toBe(1234);
  });
  it('computes percentages of the limit, clamped to 0..100', () => {
    expect(cpuPercent(50_000, 100_000, 1)).toBe(50);
    expect(cpuPercent(50_000, 100_000, 2)).toBe(25);
    expect(cpuPercent(500_000, 100_000, 1)).toBe(100);
    expect(percent(1, 3)).toBe(33.33);
    expect(percent(5, 0)).toBe(0);
  });
});
