import type { IdleTouch } from '@rock/registry';
import { IdleTouchBatcher } from './idle-touch-batcher';

/** A registry double recording every batch it was asked to write. */
function recorder(fail = false): { batches: IdleTouch[][]; touchMany(t: readonly IdleTouch[]): Promise<number> } {
  const batches: IdleTouch[][] = [];
  return {
    batches,
    touchMany: (touches) => {
      batches.push([...touches]);
      return fail ? Promise.reject(new Error('redis down')) : Promise.resolve(touches.length);
    },
  };
}

const quiet = { warn: jest.fn() };
const rec = (id: string, minutes = 10) => ({ sandbox_id: id, auto_clear_minutes: minutes });

describe('IdleTouchBatcher', () => {
  afterEach(() => jest.useRealTimers());

  it('writes nothing per call: many calls on a sandbox become one touch with the latest deadline', async () => {
    let now = 1_000_000;
    const registry = recorder();
    const batcher = new IdleTouchBatcher(registry, quiet, { now: () => now });
    for (let i = 0; i < 100; i += 1) {
      batcher.touch(rec('a'));
      now += 5;
    }
    batcher.touch(rec('b', 1));
    expect(registry.batches).toEqual([]);
    expect(batcher.pendingCount).toBe(2);
    await batcher.flush();
    expect(registry.batches).toEqual([[
      { id: 'a', deadlineMs: 1_000_000 + 99 * 5 + 600_000 },
      { id: 'b', deadlineMs: 1_000_000 + 100 * 5 + 60_000 },
    ]]);
    expect(batcher.pendingCount).toBe(0);
    await batcher.flush();
    expect(registry.batches).toHaveLength(1);
  });

  it('flushes on its own within flushMs of the first pending touch', async () => {
    jest.useFakeTimers();
    const registry = recorder();
    const batcher = new IdleTouchBatcher(registry, quiet, { flushMs: 1000 });
    batcher.touch(rec('a'));
    jest.advanceTimersByTime(999);
    expect(registry.batches).toHaveLength(0);
    jest.advanceTimersByTime(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(registry.batches.map((b) => b.map((t) => t.id))).toEqual([['a']]);
    batcher.touch(rec('c'));
    await jest.advanceTimersByTimeAsync(1000);
    expect(registry.batches.map((b) => b.map((t) => t.id))).toEqual([['a'], ['c']]);
  });

  it('touchNow writes at once (get_status shows the new deadline) and close writes what is left', async () => {
    const registry = recorder();
    const batcher = new IdleTouchBatcher(registry, quiet, { now: () => 5 });
    batcher.touch(rec('x'));
    await batcher.touchNow(rec('y', 2));
    expect(registry.batches).toEqual([[{ id: 'x', deadlineMs: 600_005 }, { id: 'y', deadlineMs: 120_005 }]]);
    batcher.touch(rec('z'));
    await batcher.close();
    expect(registry.batches.at(-1)).toEqual([{ id: 'z', deadlineMs: 600_005 }]);
  });

  it('a failed write is logged, never thrown, and later touches still go out', async () => {
    const warn = jest.fn();
    const failing = recorder(true);
    const batcher = new IdleTouchBatcher(failing, { warn });
    batcher.touch(rec('a'));
    await expect(batcher.flush()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ sandboxes: 1 }), 'idle deadline refresh failed');
    batcher.touch(rec('a'));
    await batcher.flush();
    expect(failing.batches).toHaveLength(2);
  });
});
