import type { SandboxSpec } from '../runtime.types';
import { warmPoolBypassReason } from './warm-adopt';

const spec = (env: Record<string, string>): SandboxSpec => ({
  sandboxId: 'sbx-1',
  image: 'any',
  memoryBytes: 1 << 27,
  cpus: 0.1,
  env,
  pull: 'never',
  startupTimeoutMs: 1000,
  rockletToken: 't',
});

describe('warmPoolBypassReason', () => {
  it('lets ordinary env through (the read service merges it into every execute and session)', () => {
    expect(warmPoolBypassReason(spec({}))).toBeNull();
    expect(warmPoolBypassReason(spec({ PATH: '/opt/bin', HOME: '/x', MY_ROCKLET_FLAG: '1', rock_lower: '1' }))).toBeNull();
  });

  it.each(['ROCKLET_MAX_OUTPUT_BYTES', 'ROCK_GEM_DATA_DIR', 'NODE_OPTIONS', 'UV_THREADPOOL_SIZE', 'LD_PRELOAD'])(
    'sends %s (read by rocklet at boot) to a cold start, naming the variable',
    (name) => {
      expect(warmPoolBypassReason(spec({ A: '1', [name]: 'x' }))).toBe(`env ${name} is read by rocklet at boot`);
    },
  );
});
