import { loadRockletConfig } from '../rocklet.config';
import { EnvRequestError } from './env-errors';
import { parseMakeRequest, parseResetSeed, parseStepAction } from './env-requests';

function failure(fn: () => unknown): { status: number; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof EnvRequestError) return { status: err.status, message: err.message };
    throw err;
  }
  throw new Error('expected an EnvRequestError');
}

describe('/env request bodies', () => {
  it('parses make, defaulting kwargs to {} and ignoring unknown fields', () => {
    expect(parseMakeRequest({ env_id: 'game:Sudoku-v0-easy', sandbox_id: 's', kwargs: null })).toEqual({
      env_id: 'game:Sudoku-v0-easy',
      kwargs: {},
      seed: undefined,
    });
    expect(parseMakeRequest({ env_id: 'x', kwargs: { a: 1 }, seed: 3 })).toEqual({ env_id: 'x', kwargs: { a: 1 }, seed: 3 });
  });

  it('names the field and the rule for every bad body', () => {
    expect(failure(() => parseMakeRequest({ env_id: '  ' }))).toEqual({ status: 400, message: 'env_id: must be a non-empty string' });
    expect(failure(() => parseMakeRequest({ env_id: 'x', kwargs: 'a=1' }))).toEqual({
      status: 400,
      message: 'kwargs: must be a JSON object or null',
    });
    expect(failure(() => parseStepAction({ action: 1 }))).toEqual({ status: 400, message: 'action: must be a string (got number)' });
    expect(failure(() => parseStepAction('text'))).toEqual({ status: 400, message: 'body: must be a JSON object' });
    expect(failure(() => parseResetSeed(null))).toEqual({ status: 400, message: 'body: must be a JSON object' });
  });

  it('passes actions through untouched (empty, huge, unicode)', () => {
    for (const action of ['', '\\boxed{５}', 'x'.repeat(1 << 20), '\ud800']) expect(parseStepAction({ action })).toBe(action);
    expect(parseResetSeed({ seed: 7 })).toBe(7);
    expect(parseResetSeed({})).toBeUndefined();
  });
});

describe('rocklet GEM configuration', () => {
  it('reads ROCK_GEM_DATA_DIR and ROCKLET_MAX_ENV_BODY_BYTES (4 MiB default, at least 1024)', () => {
    const plain = loadRockletConfig([], { ROCKLET_TOKEN: 't' });
    expect(plain.kind === 'run' && [plain.config.gemDataDir, plain.config.maxEnvBodyBytes]).toEqual([null, 4 * 1024 * 1024]);
    const set = loadRockletConfig([], { ROCKLET_TOKEN: 't', ROCK_GEM_DATA_DIR: '/data/gem', ROCKLET_MAX_ENV_BODY_BYTES: '2048' });
    expect(set.kind === 'run' && [set.config.gemDataDir, set.config.maxEnvBodyBytes]).toEqual(['/data/gem', 2048]);
    expect(() => loadRockletConfig([], { ROCKLET_TOKEN: 't', ROCKLET_MAX_ENV_BODY_BYTES: '10' })).toThrow(
      /ROCKLET_MAX_ENV_BODY_BYTES: must be an integer >= 1024, got '10'/,
    );
  });
});
