import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, describeConfig, loadConfig, renderConfigTable } from './load-config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'rock:' });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080, shutdownTimeoutMs: 10000 });
    expect(config.runtime.kind).toBe('docker');
    expect(config.runtime.kindExplicit).toBe(false);
    expect(config.runtime.rockletBundleDir).toMatch(/\/dist\/rocklet-runtime$/);
    expect(config.admission).toEqual({
      maxSandboxes: null,
      maxCpus: null,
      maxMemoryBytes: null,
      perPrincipal: { maxSandboxes: null, maxCpus: null, maxMemoryBytes: null, createsPerMinute: null },
    });
    expect(config.auth.enabled).toBe(false);
    expect(config.gem.dataDir).toBeNull();
    expect(config.gem.image).toBe('rock/gem-base:1');
    expect(config.instance).toBe('default');
  });

  it('parses typed values and binds 0.0.0.0 outside local mode', () => {
    const config = loadConfig({
      ROCK_MODE: 'write',
      ROCK_PORT: '9090',
      ROCK_RUNTIME: 'kubernetes',
      ROCK_MAX_TOTAL_MEMORY: '64g',
      ROCK_MAX_TOTAL_CPUS: '12.5',
      ROCK_API_KEYS: 'aaaaaaaaaaaaaaaa:alice, bbbbbbbbbbbbbbbb:bob',
      ROCK_METRICS_ENABLED: 'no',
    });
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.http.port).toBe(9090);
    expect(config.runtime.kind).toBe('kubernetes');
    expect(config.runtime.kindExplicit).toBe(true);
    expect(config.admission.maxMemoryBytes).toBe(64 * 1024 ** 3);
    expect(config.admission.maxCpus).toBe(12.5);
    expect(config.auth.enabled).toBe(true);
    expect([...config.auth.apiKeys]).toEqual([
      ['aaaaaaaaaaaaaaaa', 'alice'],
      ['bbbbbbbbbbbbbbbb', 'bob'],
    ]);
    expect(config.metrics.enabled).toBe(false);
  });

  it('lists every bad variable in one error', () => {
    expect(
      problemsOf({
        ROCK_PORT: '70000',
        ROCK_RUNTIME: 'podman',
        ROCK_REDIS_URL: 'http://x',
        ROCK_MAX_TOTAL_MEMORY: 'lots',
        ROCK_API_KEYS: 'short:alice',
        ROCK_WORKER_CONCURRENCY: '1.5',
      }),
    ).toEqual([
      'ROCK_PORT: must be an integer 1-65535',
      'ROCK_REDIS_URL: must be a URL starting with redis:// or rediss://',
      'ROCK_WORKER_CONCURRENCY: must be an integer 1-1000',
      'ROCK_RUNTIME: must be one of docker|kubernetes|local',
      'ROCK_MAX_TOTAL_MEMORY: must be a size like 512m or 64g',
      'ROCK_API_KEYS: must be "key:principal,..." with keys of at least 16 characters',
    ]);
    expect(() => loadConfig({ ROCK_PORT: 'x' })).toThrow('invalid configuration: ROCK_PORT: must be an integer 1-65535');
  });

  it('sizes the local warm pool: default 2, 0 turns it off, negative or huge values are refused', () => {
    expect(loadConfig({}).runtime.local.warmPool).toBe(2);
    expect(loadConfig({ ROCK_LOCAL_WARM_POOL: '0' }).runtime.local.warmPool).toBe(0);
    expect(loadConfig({ ROCK_LOCAL_WARM_POOL: '100' }).runtime.local.warmPool).toBe(100);
    expect(problemsOf({ ROCK_LOCAL_WARM_POOL: '-1' })).toEqual(['ROCK_LOCAL_WARM_POOL: must be an integer 0-1000']);
    expect(problemsOf({ ROCK_LOCAL_WARM_POOL: '5000' })).toEqual(['ROCK_LOCAL_WARM_POOL: must be an integer 0-1000']);
  });

  it('lets overrides win and treats empty values as unset', () => {
    const config = loadConfig({ ROCK_MODE: 'read', ROCK_PORT: '' }, { ROCK_MODE: 'local' });
    expect(config.mode).toBe('local');
    expect(config.http.port).toBe(8080);
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.runtime.docker)).toBe(true);
  });
});

describe('describeConfig', () => {
  it('documents every variable with a description, and every default parses', () => {
    const docs = describeConfig();
    expect(docs.length).toBeGreaterThan(30);
    for (const doc of docs) {
      expect(doc.name).toMatch(/^ROCK_[A-Z0-9_]+$/);
      expect(doc.description.length).toBeGreaterThan(10);
    }
    expect(docs.find((d) => d.name === 'ROCK_REDIS_PREFIX')?.default).toBe('rock:');
    expect(docs.find((d) => d.name === 'ROCK_ROCKLET_BUNDLE_DIR')?.default).toBe('<repo>/dist/rocklet-runtime');
    const allDefaults = Object.fromEntries(docs.filter((d) => d.default !== null).map((d) => [d.name, d.default ?? '']));
    expect(() => loadConfig(allDefaults)).not.toThrow();
  });
});

describe('renderConfigTable', () => {
  it('renders one Markdown row per variable', () => {
    const lines = renderConfigTable().split('\n');
    expect(lines).toHaveLength(describeConfig().length + 2);
    expect(lines).toContain('| `ROCK_PORT` | `8080` | HTTP port of the admin/API server. |');
  });
});

describe('CONFIGURATION.md', () => {
  it('is the generated table (regenerate: node -e "console.log(require(\'./dist/libs/config/src\').renderConfigTable())")', () => {
    const doc = readFileSync(join(__dirname, '..', 'CONFIGURATION.md'), 'utf8');
    expect(doc).toContain(renderConfigTable());
  });
});

describe('README.md configuration table', () => {
  it('is the generated table (copy it between the config-table markers)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const marked = /<!-- config-table:start -->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme);
    expect(marked?.[1]).toBe(renderConfigTable());
  });
});
