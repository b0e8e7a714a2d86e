import { Writable } from 'node:stream';
import { createLogger, requestLogger, resolveRequestId } from './logger';
import { ALL_METRIC_NAMES, METRIC_NAMES } from './metric-names';
import { RockMetrics, startTimer } from './rock-metrics';

function captureLines(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines };
}

describe('logger', () => {
  it('writes JSON with service, level name, ISO time, request id, and redacts secrets', () => {
    const out = captureLines();
    const logger = createLogger({ service: 'read', level: 'info', destination: out.stream });
    const child = requestLogger(logger, 'req-1', { sandbox_id: 's1' });
    child.info({ rocklet_token: 'secret-token', headers: { authorization: 'Bearer k' } }, 'forwarded');
    child.debug('hidden below info');
    const [line, ...rest] = out.lines();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ service: 'read', level: 'info', request_id: 'req-1', sandbox_id: 's1', msg: 'forwarded' });
    expect(line?.time).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    expect(JSON.stringify(line)).not.toContain('secret-token');
    expect(JSON.stringify(line)).not.toContain('Bearer k');
  });

  it('takes X-Request-Id, then eagleeye-traceid, else makes one; rejects unsafe ids', () => {
    expect(resolveRequestId({ 'x-request-id': 'abc-123', 'eagleeye-traceid': 'ee' })).toBe('abc-123');
    expect(resolveRequestId({ 'eagleeye-traceid': '0b1c2d' })).toBe('0b1c2d');
    expect(resolveRequestId({})).toMatch(/^[0-9a-f-]{36}$/);
    expect(resolveRequestId({ 'x-request-id': 'bad id\nwith newline' })).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('RockMetrics', () => {
  it('exports every named metric with the service label after use', async () => {
    const m = new RockMetrics({ service: 'write', collectProcessMetrics: false });
    m.setSandboxCounts([{ state: 'running', runtime: 'docker', count: 3 }]);
    m.observeStartup('docker', 'success', 1.2);
    m.observeStartupPhase('image_pull', 'success', 0.4);
    m.recordLifecycleJob('create', 'success', 1.1);
    m.setQueueDepth('rock-lifecycle', { waiting: 2, active: 1 });
    m.observeHttpRequest({ method: 'POST', route: '/apis/envs/sandbox/v1/start_async', statusCode: 200, outcome: 'success' }, 0.01);
    m.observeRockletCall('execute', 'success', 0.02);
    m.recordReaperAction('idle_timeout', 2);
    m.recordReconcilerAction('destroy_orphan', 'no_record');
    m.recordAdmissionRejection('max_sandboxes');
    m.recordCacheLookup(true);
    m.recordCacheLookup(false);
    m.setCapacity({ requestedCpus: 6, requestedMemoryBytes: 1024, allocatableCpus: 16, allocatableMemoryBytes: null });
    const text = await m.render();
    for (const name of ALL_METRIC_NAMES) expect(text).toContain(`# TYPE ${name} `);
    expect(text).toContain('rock_sandboxes{state="running",runtime="docker",service="write"} 3');
    expect(text).toContain('rock_reaper_actions_total{reason="idle_timeout",service="write"} 2');
    expect(text).toContain('rock_registry_cache_lookups_total{result="hit",service="write"} 1');
    expect(text).toContain('rock_capacity_cpus{kind="allocatable",service="write"} 16');
    expect(text).not.toContain('rock_capacity_memory_bytes{kind="allocatable"');
    expect(m.contentType).toContain('text/plain');
  });

  it('replaces sandbox counts so vanished states read as gone, and instances do not share state', async () => {
    const a = new RockMetrics({ service: 'write', collectProcessMetrics: false });
    const b = new RockMetrics({ service: 'read', collectProcessMetrics: true });
    a.setSandboxCounts([{ state: 'pending', runtime: 'local', count: 1 }]);
    a.setSandboxCounts([{ state: 'running', runtime: 'local', count: 1 }]);
    const text = await a.render();
    expect(text).not.toContain('state="pending"');
    expect(text).toContain('rock_sandboxes{state="running",runtime="local",service="write"} 1');
    const other = await b.render();
    expect(other).not.toContain('state="running"');
    expect(other).toContain('process_cpu_user_seconds_total');
  });

  it('names metrics with the rock_ prefix and unit suffixes', () => {
    for (const name of Object.values(METRIC_NAMES)) expect(name).toMatch(/^rock_[a-z_]+$/);
    const elapsed = startTimer()();
    expect(elapsed).toBeGreaterThanOrEqual(0);
    expect(elapsed).toBeLessThan(1);
  });
});
