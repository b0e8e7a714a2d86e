import { RuntimeError } from './runtime.errors';
import { backoffDelays, pollUntil, READINESS_BACKOFF, type Clock } from './poll';

/** A clock whose sleep advances time instantly and records each requested delay. */
function fakeClock(start = 1_000): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('backoffDelays', () => {
  it('grows the readiness interval ×1.5 from 5 ms and caps it at 100 ms', () => {
    const delays = backoffDelays(READINESS_BACKOFF);
    const first = Array.from({ length: 10 }, () => delays.next().value);
    expect(first).toEqual([5, 7.5, 11.25, 16.875, 25.3125, 37.96875, 56.953125, 85.4296875, 100, 100]);
  });
});

describe('pollUntil', () => {
  it('returns the first defined probe result, sleeping along the schedule in between', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await pollUntil(() => Promise.resolve(++calls === 4 ? 'ready' : undefined), {
      schedule: { initialMs: 10, factor: 2, maxMs: 25 },
      deadline: clock.now() + 1000,
      clock,
      onTimeout: () => new Error('timeout'),
    });
    expect(result).toBe('ready');
    expect(clock.sleeps).toEqual([10, 20, 25]);
  });

  it('never sleeps past the deadline and then throws the timeout error', async () => {
    const clock = fakeClock();
    const promise = pollUntil(() => Promise.resolve(undefined), {
      schedule: { initialMs: 40, factor: 1, maxMs: 40 },
      deadline: clock.now() + 100,
      clock,
      onTimeout: () => new RuntimeError('STARTUP_TIMEOUT', 'too slow', { transient: true }),
    });
    await expect(promise).rejects.toMatchObject({ code: 'STARTUP_TIMEOUT', transient: true });
    expect(clock.sleeps).toEqual([40, 40, 20]);
  });

  it('stops with ABORTED when the signal fired', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    let calls = 0;
    const promise = pollUntil(
      () => {
        if (++calls === 2) controller.abort();
        return Promise.resolve(undefined);
      },
      { schedule: READINESS_BACKOFF, deadline: clock.now() + 10_000, clock, signal: controller.signal, onTimeout: () => new Error('t') },
    );
    await expect(promise).rejects.toMatchObject({ code: 'ABORTED' });
    expect(calls).toBe(2);
  });

  it('ends with the error a probe throws', async () => {
    const clock = fakeClock();
    const promise = pollUntil(() => Promise.reject(new Error('container exited')), {
      schedule: READINESS_BACKOFF,
      deadline: clock.now() + 1000,
      clock,
      onTimeout: () => new Error('t'),
    });
    await expect(promise).rejects.toThrow('container exited');
  });
});

describe('pollUntil with a deadline signal', () => {
  it('reports a fired AbortSignal.timeout as the timeout error, not as ABORTED', async () => {
    // What AbortSignal.timeout carries once it fired.
    const signal = AbortSignal.abort(new DOMException('deadline', 'TimeoutError'));
    const clock = fakeClock();
    const promise = pollUntil(() => Promise.resolve(undefined), {
      schedule: READINESS_BACKOFF,
      deadline: clock.now() + 1000,
      clock,
      signal,
      onTimeout: () => new RuntimeError('STARTUP_TIMEOUT', 'deadline', { transient: true }),
    });
    await expect(promise).rejects.toMatchObject({ code: 'STARTUP_TIMEOUT' });
  });
});
