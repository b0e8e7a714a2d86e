import { applyServerDefaults, callerFromHeaders, SandboxStartRequestSchema } from './sandbox-start';
import { parseOrThrow, ValidationError } from './validation';

function problemsOf(input: unknown): string[] {
  try {
    parseOrThrow(SandboxStartRequestSchema, input);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('SandboxStartRequestSchema', () => {
  it('fills every documented default and generates a 32-hex id', () => {
    const req = parseOrThrow(SandboxStartRequestSchema, { image: 'python:3.11' });
    expect(req).toMatchObject({
      image: 'python:3.11',
      memory: '8g',
      memory_bytes: 8 * 1024 ** 3,
      cpus: 2,
      limit_cpus: null,
      disk: '50G',
      disk_bytes: 50 * 1024 ** 3,
      auto_clear_time_minutes: null,
      startup_timeout: null,
      pull: 'missing',
      image_os: 'linux',
      env: {},
      metadata: {},
      num_gpus: null,
      accelerator_type: null,
      registry_username: null,
      registry_password: null,
      auto_delete_seconds: null,
      auto_archive_seconds: null,
    });
    expect(req.sandbox_id).toMatch(/^[0-9a-f]{32}$/);
    expect(parseOrThrow(SandboxStartRequestSchema, { image: 'x' }).sandbox_id).not.toBe(req.sandbox_id);
  });

  it('treats null as "use the default" and ignores unknown fields', () => {
    const req = parseOrThrow(SandboxStartRequestSchema, { image: 'x', memory: null, cpus: null, whatever: 1 });
    expect(req.memory).toBe('8g');
    expect(req.cpus).toBe(2);
    expect(req).not.toHaveProperty('whatever');
  });

  it('normalises sizes: memory lower-case (Docker), disk upper-case (ROCK)', () => {
    const req = parseOrThrow(SandboxStartRequestSchema, { image: 'x', memory: ' 512 MiB', disk: '20g' });
    expect(req.memory).toBe('512m');
    expect(req.memory_bytes).toBe(512 * 1024 ** 2);
    expect(req.disk).toBe('20G');
  });

  it('accepts auto_clear_time as an alias, auto_clear_time_minutes winning', () => {
    expect(parseOrThrow(SandboxStartRequestSchema, { image: 'x', auto_clear_time: 7 }).auto_clear_time_minutes).toBe(7);
    const both = parseOrThrow(SandboxStartRequestSchema, { image: 'x', auto_clear_time: 7, auto_clear_time_minutes: 9 });
    expect(both.auto_clear_time_minutes).toBe(9);
    expect(both).not.toHaveProperty('auto_clear_time');
  });

  it('merges env_vars under env', () => {
    const req = parseOrThrow(SandboxStartRequestSchema, {
      image: 'x',
      env_vars: { A: 'from-env-vars', B: 'b' },
      env: { A: 'from-env' },
    });
    expect(req.env).toEqual({ A: 'from-env', B: 'b' });
    expect(req).not.toHaveProperty('env_vars');
  });

  it('lists every bad field at once, naming the rule', () => {
    expect(
      problemsOf({
        image: '  ',
        cpus: 0,
        memory: 'lots',
        sandbox_id: 'Bad_ID',
        pull: 'sometimes',
        auto_clear_time_minutes: 0,
        metadata: { team: 3 },
      }),
    ).toEqual([
      'image: must not be blank',
      'sandbox_id: must match [a-z0-9][a-z0-9-]{0,62}',
      'memory: must be a size like 512m or 8g',
      'cpus: must be > 0',
      'auto_clear_time_minutes: must be >= 1',
      'pull: must be one of never|missing|always',
      'metadata.team: must be a string',
    ]);
  });

  it('reports a missing image as required and memory below 6m', () => {
    expect(problemsOf({ memory: '1m' })).toEqual(['image: is required', 'memory: must be at least 6m']);
  });

  it('names bad env entries and wrong types precisely', () => {
    expect(problemsOf({ image: 'x', env: { 'A=B': 'v', OK: 1 }, cpus: 'two', num_gpus: 1.5 })).toEqual([
      'cpus: must be a number',
      'env.A=B: must be a non-empty name without "=" or NUL',
      'env.OK: must be a string',
      'num_gpus: must be an integer',
    ]);
  });

  it('bounds metadata so records stay small', () => {
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    expect(problemsOf({ image: 'x', metadata: many })).toEqual(['metadata: must have at most 64 entries']);
    expect(problemsOf({ image: 'x', metadata: { k: 'v'.repeat(1025) } })).toEqual(['metadata.k: must be at most 1024 characters']);
  });

  it('rejects limit_cpus below cpus and ids longer than 63 characters', () => {
    expect(problemsOf({ image: 'x', cpus: 4, limit_cpus: 2 })).toEqual(['limit_cpus: must be >= cpus']);
    expect(problemsOf({ image: 'x', sandbox_id: `a${'b'.repeat(63)}` })).toEqual([
      'sandbox_id: must match [a-z0-9][a-z0-9-]{0,62}',
    ]);
  });

  it('applies server defaults only where the client sent none', () => {
    const req = parseOrThrow(SandboxStartRequestSchema, { image: 'x', startup_timeout: 30 });
    const resolved = applyServerDefaults(req, { autoClearMinutes: 60, startupTimeoutSeconds: 120 });
    expect(resolved.auto_clear_time_minutes).toBe(60);
    expect(resolved.startup_timeout).toBe(30);
  });
});

describe('callerFromHeaders', () => {
  it('reads the create-time headers, defaulting each to "default"', () => {
    expect(callerFromHeaders({ 'x-user-id': 'alice', 'x-namespace': ' ', 'x-cluster': ['c1', 'c2'] })).toEqual({
      user_id: 'alice',
      experiment_id: 'default',
      namespace: 'default',
      cluster: 'c1',
    });
  });
});
