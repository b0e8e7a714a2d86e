import type { SandboxRecord } from './record';
import { RecentCreates } from './recent-creates';

const record = (id: string, createMs: number) => ({ sandbox_id: id, create_ms: createMs }) as SandboxRecord;

describe('RecentCreates', () => {
  let now = 0;
  const recent = () => new RecentCreates(() => now);

  beforeEach(() => {
    now = 1_000;
  });

  it('hands a remembered record to its incarnation once', () => {
    const held = recent();
    const r = record('a', 5);
    held.remember(r);
    expect(held.take('a', 4)).toBeNull();
    expect(held.take('a', 5)).toBe(r);
    expect(held.take('a', 5)).toBeNull();
  });

  it('keeps only the newest incarnation of an id', () => {
    const held = recent();
    held.remember(record('a', 5));
    const newer = record('a', 6);
    held.remember(newer);
    expect(held.take('a', 5)).toBeNull();
    expect(held.take('a', 6)).toBe(newer);
  });

  it('forgets an id whose record moved on', () => {
    const held = recent();
    held.remember(record('a', 5));
    held.forget('a');
    expect(held.take('a', 5)).toBeNull();
  });

  it('drops records nobody took after a minute, so the map stays bounded', () => {
    const held = recent();
    held.remember(record('old-1', 1));
    held.remember(record('old-2', 2));
    now += 30_000;
    held.remember(record('mid', 3));
    now += 30_001;
    held.remember(record('new', 4));
    expect(held.size).toBe(2);
    expect(held.take('old-1', 1)).toBeNull();
    expect(held.take('mid', 3)).not.toBeNull();
  });
});
