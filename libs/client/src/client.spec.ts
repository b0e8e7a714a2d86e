import { shellQuote } from './arun';
import { resolveClientOptions } from './client.config';
import { BadRequestError, CommandError, errorForCode, errorForHttpStatus, InternalError, RockError } from './errors';
import { failedStartPhase } from './sandbox';
import { mapConcurrent, SandboxGroup } from './sandbox-group';
import { commandBudgetMs } from './sandbox-commands';
import { collectPair, table } from './cli/output';
import { execFileSync } from 'node:child_process';

describe('errors', () => {
  it('maps ROCK result codes to classes', () => {
    expect(errorForCode(4000, 'x')).toBeInstanceOf(BadRequestError);
    expect(errorForCode(4004, 'x').code).toBe(4004);
    expect(errorForCode(5000, 'x')).toBeInstanceOf(InternalError);
    expect(errorForCode(6000, 'x')).toBeInstanceOf(CommandError);
    expect(errorForCode(1234, 'x')).toMatchObject({ code: 5000 });
    for (const code of [4000, 5000, 6000]) expect(errorForCode(code, 'x')).toBeInstanceOf(RockError);
  });

  it('maps HTTP statuses of bare-JSON routes', () => {
    expect(errorForHttpStatus(404, 'gone')).toMatchObject({ code: 4000, httpStatus: 404, message: 'gone' });
    expect(errorForHttpStatus(400, 'bad')).toBeInstanceOf(BadRequestError);
    expect(errorForHttpStatus(503, 'busy')).toBeInstanceOf(InternalError);
  });
});

describe('resolveClientOptions', () => {
  it('takes options over the environment and sends the caller headers', () => {
    const env = { ROCK_BASE_URL: 'http://env:1/', ROCK_API_KEY: 'env-key', ROCK_USER_ID: 'u', ROCK_EXPERIMENT_ID: 'e', ROCK_NAMESPACE: 'n' };
    expect(resolveClientOptions({}, env)).toEqual({
      baseUrl: 'http://env:1',
      apiKey: 'env-key',
      headers: { 'x-user-id': 'u', 'x-experiment-id': 'e', 'x-namespace': 'n', 'x-api-key': 'env-key' },
      requestTimeoutMs: 60_000,
      retries: 3,
    });
    expect(resolveClientOptions({ baseUrl: 'http://opt:2', apiKey: 'k', retries: 0 }, env)).toMatchObject({ baseUrl: 'http://opt:2', apiKey: 'k', retries: 0 });
  });

  it('defaults to local mode and refuses a base URL that is not a URL', () => {
    expect(resolveClientOptions({}, {})).toMatchObject({ baseUrl: 'http://127.0.0.1:8080', apiKey: null, headers: {} });
    expect(() => resolveClientOptions({ baseUrl: 'not a url' }, {})).toThrow('baseUrl: "not a url" is not a URL');
  });
});

describe('helpers', () => {
  it('shellQuote survives sh for any text', () => {
    for (const text of ["it's", 'a b', '$HOME `id` "q"', "''", '\\n']) {
      expect(execFileSync('sh', ['-c', `printf '%s' ${shellQuote(text)}`], { encoding: 'utf8' })).toBe(text);
    }
  });

  it('failedStartPhase names the first failed or timed-out phase', () => {
    const phase = (status: string, message = '') => ({ status, message, started_at: null, completed_at: null });
    const phases = { queued: phase('success'), image_pull: phase('failed', 'no such image'), container_create: phase('timeout'), container_start: phase('waiting'), rocklet_ready: phase('waiting') };
    expect(failedStartPhase(phases as never)).toEqual({ phase: 'image_pull', message: 'no such image' });
    expect(failedStartPhase({ ...phases, image_pull: phase('success'), container_create: phase('success') } as never)).toBeNull();
  });

  it('mapConcurrent keeps order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapConcurrent([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await Promise.resolve();
      inFlight -= 1;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('SandboxGroup validates its options', () => {
    expect(() => new SandboxGroup({ size: 1.5 })).toThrow('size: must be an integer >= 1');
    expect(() => new SandboxGroup({ size: 2, concurrency: 0 })).toThrow('concurrency: must be an integer >= 1');
    expect(() => new SandboxGroup({ size: 2, sandboxId: 'a' })).toThrow('sandboxId: cannot be shared by a group');
  });

  it('a command call budget is its timeout plus round-trip slack', () => {
    expect(commandBudgetMs(10, 1200)).toBe(40_000);
    expect(commandBudgetMs(undefined, 1200)).toBe(1_230_000);
  });

  it('CLI output helpers: KEY=VALUE pairs and aligned tables', () => {
    expect(collectPair('A=1=2', { B: 'x' })).toEqual({ B: 'x', A: '1=2' });
    expect(() => collectPair('=x')).toThrow('"=x" is not KEY=VALUE');
    expect(table(['ID', 'STATE'], [['abc', 'running'], ['a', 'pending']])).toBe('ID   STATE\nabc  running\na    pending');
  });
});
