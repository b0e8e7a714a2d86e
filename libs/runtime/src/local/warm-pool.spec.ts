import { LocalWarmPool, type LocalWarmPoolOptions, type WarmPoolOutcome } from './warm-pool';

function options(overrides: Partial<LocalWarmPoolOptions> = {}): LocalWarmPoolOptions {
  return {
    size: 2,
    maxConcurrentSpawns: 1,
    rootDir: '/nonexistent/rock-warm-pool-spec',
    instance: 'spec',
    host: '127.0.0.1',
    rockletCommand: ['/bin/false'],
    dieWithParent: true,
    baseEnv: {},
    isolation: () => Promise.reject(new Error('must not be called before start()')),
    ...overrides,
  };
}

describe('LocalWarmPool', () => {
  it('rejects a bad size or spawn bound with the field and the rule', () => {
    expect(() => new LocalWarmPool(options({ size: -1 }))).toThrow('warmPool.size: must be an integer >= 0, got -1');
    expect(() => new LocalWarmPool(options({ size: 1.5 }))).toThrow('warmPool.size: must be an integer >= 0');
    expect(() => new LocalWarmPool(options({ maxConcurrentSpawns: 0 }))).toThrow('warmPool.maxConcurrentSpawns: must be an integer >= 1, got 0');
  });

  it('hands out nothing and starts nothing before start(); drain() of an unstarted pool is a no-op', async () => {
    const sizes: number[] = [];
    const takes: WarmPoolOutcome[] = [];
    const pool = new LocalWarmPool(options({ observer: { size: (n) => sizes.push(n), take: (o) => takes.push(o) } }));
    expect(pool.take()).toBeNull();
    expect(pool.readyCount).toBe(0);
    await pool.drain();
    expect(sizes.every((n) => n === 0)).toBe(true);
    expect(pool.dir).toBe('/nonexistent/rock-warm-pool-spec/.warm-pool');
  });
});
