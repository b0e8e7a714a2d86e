import { startRocklet, type RockletProcess, type StartRockletOptions } from '@rock/testing';

/**
 * One real rocklet process for the tests of the enclosing `describe`: started in `beforeAll`,
 * stopped in `afterAll`. The returned handle forwards to that process (and throws if a test runs
 * before it started), so tests read `rocklet.post(...)` as with a plain variable.
 */
export function rockletForSuite(options: StartRockletOptions | (() => StartRockletOptions) = {}): RockletProcess {
  let started: RockletProcess | null = null;
  beforeAll(async () => {
    started = await startRocklet(typeof options === 'function' ? options() : options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  return new Proxy({} as RockletProcess, {
    get(_target, key: keyof RockletProcess) {
      if (!started) throw new Error('the suite rocklet is not running (used outside a test?)');
      const value = started[key];
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(started) : value;
    },
  });
}
