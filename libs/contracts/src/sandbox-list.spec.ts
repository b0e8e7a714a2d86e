import { ListSandboxesQuerySchema, BatchStatusRequestSchema } from './sandbox-list';
import { failedPhase, GetStatusQuerySchema, initialPhases, withPhase } from './sandbox-status';
import { formatBytes, normaliseSize, parseSizeToBytes } from './sizes';
import { parseOrThrow, safeParseWire } from './validation';

describe('ListSandboxesQuerySchema', () => {
  it('defaults paging and splits field and metadata filters', () => {
    expect(parseOrThrow(ListSandboxesQuerySchema, { image: 'python:3.11', 'metadata.team': 'rl', state: 'running' })).toEqual({
      page: 1,
      page_size: 500,
      filters: { image: 'python:3.11', state: 'running' },
      metadata: { team: 'rl' },
    });
  });

  it('parses query-string numbers and caps page_size at 2000', () => {
    expect(parseOrThrow(ListSandboxesQuerySchema, { page: '3', page_size: '2000' })).toMatchObject({ page: 3, page_size: 2000 });
    expect(safeParseWire(ListSandboxesQuerySchema, { page: '0', page_size: '2001', colour: 'red' })).toEqual({
      ok: false,
      problems: ['page: must be >= 1', 'page_size: must be <= 2000', 'colour: is not a filterable field'],
    });
  });
});

describe('other queries', () => {
  it('reads include_all_states from a query string', () => {
    expect(parseOrThrow(GetStatusQuerySchema, { sandbox_id: 'abc', include_all_states: 'true' }).include_all_states).toBe(true);
    expect(parseOrThrow(GetStatusQuerySchema, { sandbox_id: 'abc' }).include_all_states).toBe(false);
  });

  it('limits batch requests to 2000 ids', () => {
    const ids = Array.from({ length: 2001 }, (_, i) => `s${i}`);
    expect(safeParseWire(BatchStatusRequestSchema, { sandbox_ids: ids })).toEqual({
      ok: false,
      problems: ['sandbox_ids: must have at most 2000 items'],
    });
  });
});

describe('sizes', () => {
  it('parses Docker sizes with binary units', () => {
    expect(parseSizeToBytes('512m')).toBe(512 * 1024 ** 2);
    expect(parseSizeToBytes('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseSizeToBytes('100KiB')).toBe(102400);
    expect(parseSizeToBytes('4096')).toBe(4096);
    expect(parseSizeToBytes('8 gigs')).toBeNull();
    expect(parseSizeToBytes('-1g')).toBeNull();
  });

  it('normalises and formats', () => {
    expect(normaliseSize('8GB')).toBe('8g');
    expect(normaliseSize('50g', 'upper')).toBe('50G');
    expect(normaliseSize('1024b')).toBe('1024');
    expect(formatBytes(8 * 1024 ** 3)).toBe('8g');
    expect(formatBytes(1536 * 1024 ** 2)).toBe('1536m');
    expect(formatBytes(1000)).toBe('1000');
  });
});

describe('start phases', () => {
  it('stamps started_at and completed_at as phases move, and finds the failed one', () => {
    const t0 = Date.UTC(2026, 0, 1, 0, 0, 0);
    let phases = initialPhases();
    phases = withPhase(phases, 'image_pull', 'running', 'pulling busybox', t0);
    phases = withPhase(phases, 'image_pull', 'success', '', t0 + 1500);
    expect(phases.image_pull).toEqual({
      status: 'success',
      message: '',
      started_at: '2026-01-01T00:00:00.000+00:00',
      completed_at: '2026-01-01T00:00:01.500+00:00',
    });
    expect(failedPhase(phases)).toBeNull();
    phases = withPhase(phases, 'rocklet_ready', 'timeout', 'rocklet did not answer within 60s', t0 + 2000);
    expect(failedPhase(phases)).toEqual({ phase: 'rocklet_ready', status: 'timeout', message: 'rocklet did not answer within 60s' });
    expect(phases.rocklet_ready.started_at).toBe('2026-01-01T00:00:02.000+00:00');
    expect(phases.queued.status).toBe('waiting');
  });
});
