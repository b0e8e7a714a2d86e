import type { Clock } from '../poll';
import { TokenBucket } from './token-bucket';

function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('TokenBucket', () => {
  it('lets a burst through at once, then spaces requests at 1/qps', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(10, 3, clock);
    await Promise.all(Array.from({ length: 5 }, () => bucket.take()));
    expect(clock.slept).toEqual([100, 100]);
  });

  it('refills with elapsed time, up to the burst', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(2, 2, clock);
    await bucket.take();
    await bucket.take();
    await clock.sleep(10_000);
    clock.slept.length = 0;
    await Promise.all([bucket.take(), bucket.take(), bucket.take()]);
    expect(clock.slept).toEqual([500]);
  });

  it('names the bad option', () => {
    expect(() => new TokenBucket(0, 1)).toThrow('qps: must be a positive number');
    expect(() => new TokenBucket(1, 0.5)).toThrow('burst: must be an integer >= 1');
  });
});
