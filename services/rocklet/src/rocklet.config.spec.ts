import { BearerTokenVerifier } from './auth';
import { ConfigError, loadRockletConfig } from './rocklet.config';
import { entryDestination } from './files/unzip';

describe('loadRockletConfig', () => {
  it('uses defaults and strips ROCKLET_* from the child environment', () => {
    const out = loadRockletConfig([], { ROCKLET_TOKEN: 'secret', PATH: '/bin', FOO: 'bar' });
    if (out.kind !== 'run') throw new Error('expected run');
    expect(out.config).toMatchObject({ host: '0.0.0.0', port: 22555, token: 'secret', maxOutputBytes: 1048576 });
    expect(out.config.childEnv).toEqual({ PATH: '/bin', FOO: 'bar' });
  });

  it('requires a token unless --no-auth', () => {
    expect(() => loadRockletConfig([], {})).toThrow(/ROCKLET_TOKEN: required/);
    const out = loadRockletConfig(['--no-auth', '--port=0'], {});
    expect(out.kind === 'run' && out.config.token).toBeNull();
  });

  it('lists every bad flag and variable at once', () => {
    try {
      loadRockletConfig(['--port', 'x', '--bogus'], { ROCKLET_TOKEN: 't', ROCKLET_MAX_OUTPUT_BYTES: '-5', ROCKLET_SHELL: '/no/sh' });
      throw new Error('expected ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([
        '--bogus: unknown argument',
        "--port: must be 0..65535, got 'x'",
        "ROCKLET_SHELL: '/no/sh' does not exist",
        "ROCKLET_MAX_OUTPUT_BYTES: must be an integer >= 64, got '-5'",
      ]);
    }
  });

  it('answers help', () => {
    expect(loadRockletConfig(['--help'], {}).kind).toBe('help');
  });
});

describe('BearerTokenVerifier', () => {
  const v = new BearerTokenVerifier('s3cret');
  it('accepts only the exact bearer token', () => {
    expect(v.verify('Bearer s3cret')).toBe(true);
    expect(v.verify('Bearer s3cre')).toBe(false);
    expect(v.verify('s3cret')).toBe(false);
    expect(v.verify(undefined)).toBe(false);
  });
});

describe('zip entry destinations', () => {
  it('rejects entries escaping the target (zip-slip)', () => {
    expect(entryDestination('/t', 'a/b.txt')).toBe('/t/a/b.txt');
    expect(entryDestination('/t', '../etc/passwd')).toBeNull();
    expect(entryDestination('/t', '/etc/passwd')).toBeNull();
  });
});
