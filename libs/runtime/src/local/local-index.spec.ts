import { silentLogger } from '../runtime.types';
import { LocalSandboxIndex } from './local-index';
import type { LocalSandboxState } from './local-state';

const state = (sandboxId: string): LocalSandboxState => ({
  sandboxId,
  instance: 'spec',
  image: 'any',
  pid: 42,
  startTime: '7',
  port: 1,
  isolation: 'none',
  createdAt: new Date(0).toISOString(),
  labels: {},
  slotDir: `/root/.warm-pool/warm-${sandboxId}`,
});

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (err: Error) => void } {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}

describe('LocalSandboxIndex', () => {
  it('names a fresh id as absent and every seen, adopted or busy id as possibly present', async () => {
    const index = new LocalSandboxIndex(silentLogger);
    expect(index.mayExist('a')).toBe(false);
    index.seen(['a', '.warm-pool']);
    expect(index.mayExist('a')).toBe(true);
    index.adopt(state('b'));
    index.seen(['a']);
    expect(index.mayExist('b')).toBe(true);
    expect(index.state('b')?.slotDir).toBe('/root/.warm-pool/warm-b');
    expect(index.adoptedStates().map((s) => s.sandboxId)).toEqual(['b']);
    index.forget('b');
    expect(index.mayExist('b')).toBe(false);
    expect(index.state('b')).toBeUndefined();

    const gate = deferred();
    const busy = index.serial('c', () => gate.promise);
    expect(index.mayExist('c')).toBe(true);
    gate.resolve();
    await busy;
    await Promise.resolve();
    expect(index.mayExist('c')).toBe(false);
  });

  it('runs a sandbox’s tasks in order, after a failed one too, and other sandboxes’ tasks independently', async () => {
    const index = new LocalSandboxIndex(silentLogger);
    const trail: string[] = [];
    const first = deferred();
    const persist = index.serial('x', async () => {
      trail.push('persist:start');
      await first.promise;
      trail.push('persist:end');
    });
    const destroy = index.serial('x', () => Promise.resolve(trail.push('destroy')));
    const other = index.serial('y', () => Promise.resolve(trail.push('other')));
    await other;
    expect(trail).toEqual(['persist:start', 'other']);
    first.reject(new Error('disk full'));
    await expect(persist).rejects.toThrow('disk full');
    await destroy;
    expect(trail).toEqual(['persist:start', 'other', 'destroy']);
  });

  it('settled() waits for queued tasks, and gives up after its timeout', async () => {
    jest.useFakeTimers();
    try {
      const index = new LocalSandboxIndex(silentLogger);
      const gate = deferred();
      void index.serial('x', () => gate.promise);
      let done = false;
      const waiting = index.settled(5000).then(() => (done = true));
      await Promise.resolve();
      expect(done).toBe(false);
      gate.resolve();
      await waiting;
      expect(done).toBe(true);

      const stuck = index.serial('y', () => new Promise<void>(() => undefined));
      void stuck;
      let gaveUp = false;
      const bounded = index.settled(5000).then(() => (gaveUp = true));
      await jest.advanceTimersByTimeAsync(4999);
      expect(gaveUp).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await bounded;
      expect(gaveUp).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
