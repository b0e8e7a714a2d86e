import { PhaseReporter } from './phase-reporter';
import { RuntimeError } from './runtime.errors';
import { abortReason } from './signals';
import { specIssues } from './spec-validation';
import type { PhaseUpdate, SandboxSpec } from './runtime.types';

const valid: SandboxSpec = {
  sandboxId: 'a1',
  image: 'img',
  memoryBytes: 1024,
  cpus: 1,
  env: {},
  pull: 'never',
  startupTimeoutMs: 1000,
  rockletToken: 't',
};

describe('specIssues', () => {
  it('accepts a valid spec', () => {
    expect(specIssues(valid)).toEqual([]);
  });

  it('names every broken field with its rule', () => {
    const issues = specIssues({
      ...valid,
      sandboxId: 'Bad_Id',
      image: ' ',
      memoryBytes: 1.5,
      cpus: -1,
      limitCpus: 0,
      pidsLimit: 0,
      numGpus: -2,
      pull: 'often' as never,
      startupTimeoutMs: 0,
      rockletToken: '',
      env: { 'A=B': 'x', OK: 'a\0b' },
    });
    expect(issues.map((i) => i.split(':')[0])).toEqual([
      'sandboxId',
      'image',
      'memoryBytes',
      'cpus',
      'limitCpus',
      'pidsLimit',
      'numGpus',
      'pull',
      'startupTimeoutMs',
      'rockletToken',
      'env.A=B',
      'env.OK',
    ]);
  });
});

describe('PhaseReporter', () => {
  it('reports running then success with the step message', async () => {
    const updates: PhaseUpdate[] = [];
    const value = await new PhaseReporter((u) => updates.push(u)).run('image_pull', () => Promise.resolve({ value: 7, message: 'present' }));
    expect(value).toBe(7);
    expect(updates.map((u) => [u.phase, u.status, u.message])).toEqual([
      ['image_pull', 'running', ''],
      ['image_pull', 'success', 'present'],
    ]);
  });

  it('reports failed (or timeout) and attributes foreign errors to the phase', async () => {
    const updates: PhaseUpdate[] = [];
    const reporter = new PhaseReporter((u) => updates.push(u));
    await expect(reporter.run('container_start', () => Promise.reject(new Error('boom')))).rejects.toMatchObject({
      code: 'RUNTIME_ERROR',
      phase: 'container_start',
    });
    const timeout = new RuntimeError('STARTUP_TIMEOUT', 'slow', { transient: true });
    await expect(reporter.run('rocklet_ready', () => Promise.reject(timeout))).rejects.toMatchObject({ phase: 'rocklet_ready', transient: true });
    expect(updates.map((u) => `${u.phase}:${u.status}`)).toEqual([
      'container_start:running',
      'container_start:failed',
      'rocklet_ready:running',
      'rocklet_ready:timeout',
    ]);
  });

  it('survives a throwing callback', async () => {
    const reporter = new PhaseReporter(() => {
      throw new Error('bookkeeping broke');
    });
    await expect(reporter.run('image_pull', () => Promise.resolve({ value: 1 }))).resolves.toBe(1);
  });
});

describe('abortReason', () => {
  it('turns any failure after the caller aborted into ABORTED, keeping the phase', () => {
    const controller = new AbortController();
    controller.abort();
    const err = abortReason(controller.signal, new RuntimeError('STARTUP_TIMEOUT', 'x', { phase: 'image_pull' }));
    expect(err).toMatchObject({ code: 'ABORTED', phase: 'image_pull', transient: false });
  });

  it('passes other errors through', () => {
    const original = new RuntimeError('IMAGE_NOT_FOUND', 'gone', { phase: 'image_pull' });
    expect(abortReason(undefined, original)).toBe(original);
  });
});
