import { AdoptionWriter } from './adoption-writer';
import type { LocalSandboxState } from './local-state';

const state = (id: string) => ({ sandboxId: id }) as LocalSandboxState;

describe('AdoptionWriter', () => {
  let now = 0;
  let written: string[];
  const writer = () => new AdoptionWriter((s) => written.push(s.sandboxId), () => now);
  const advance = (ms: number) => {
    now += ms;
    jest.advanceTimersByTime(ms);
  };

  beforeEach(() => {
    jest.useFakeTimers();
    now = 0;
    written = [];
  });
  afterEach(() => jest.useRealTimers());

  it('writes a burst once takes pause for 50 ms, in take order', () => {
    const w = writer();
    w.queue(state('a'));
    advance(30);
    w.queue(state('b'));
    advance(49);
    expect(written).toEqual([]);
    advance(1);
    expect(written).toEqual(['a', 'b']);
    expect(w.pending).toBe(0);
  });

  it('never holds a write longer than 500 ms, however long the burst', () => {
    const w = writer();
    for (let t = 0; t < 600; t += 20) {
      w.queue(state(`s${t}`));
      advance(20);
      if (t < 480) expect(written).toEqual([]);
    }
    expect(written.length).toBe(25); // the 25 taken in the first 500 ms
  });

  it('drops the write of a sandbox destroyed before it ran; flush hands out the rest at once', () => {
    const w = writer();
    w.queue(state('a'));
    w.queue(state('b'));
    expect(w.cancel('a')).toBe(true);
    expect(w.cancel('a')).toBe(false);
    w.flush();
    expect(written).toEqual(['b']);
    advance(1000);
    expect(written).toEqual(['b']);
  });
});
