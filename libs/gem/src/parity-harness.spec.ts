import { type GoldenEpisode, checkReset, describeStringDiff, episodesFor, gemGoldenDir, replayEpisode, resetsFor } from '@rock/testing';
import { make } from './registry';

/** Proves the golden replay used by every family spec can fail, and fails precisely. */
describe('gem-golden parity harness', () => {
  const original = episodesFor('TowerofHanoi')[0];
  const clone = (): GoldenEpisode => JSON.parse(JSON.stringify(original)) as GoldenEpisode;

  it('passes an untouched transcript', () => {
    expect(replayEpisode((id) => make(id), original)).toBeNull();
  });

  it('names env, seed, step and first differing character when an observation differs', () => {
    const bad = clone();
    bad.steps[1].observation = bad.steps[1].observation.replace('disk', 'Disk');
    const diff = replayEpisode((id) => make(id), bad);
    expect(diff).toContain(`${original.env_id} seed=${original.seed}`);
    expect(diff).toContain('step 1 ');
    expect(diff).toMatch(/observation: first difference at char \d+/);
  });

  it('catches reward, flag and info-key differences', () => {
    const reward = clone();
    reward.steps[0].reward += 1e-6;
    expect(replayEpisode((id) => make(id), reward)).toContain('reward: expected');
    const flag = clone();
    flag.steps[0].truncated = !flag.steps[0].truncated;
    expect(replayEpisode((id) => make(id), flag)).toContain('truncated: expected');
    const info = clone();
    info.steps[0].info = { ...info.steps[0].info, extra: 1 };
    expect(replayEpisode((id) => make(id), info)).toContain('info keys differ');
    const sweep = resetsFor('game:TowerofHanoi-v0-easy')[0];
    expect(checkReset((id) => make(id), { ...sweep, reset: { ...sweep.reset, observation: `${sweep.reset.observation} ` } })).toContain(
      'reset: observation: first difference',
    );
  });

  it('reports thrown errors instead of crashing the run', () => {
    expect(replayEpisode(() => make('game:NoSuch-v0'), original)).toContain('threw');
  });

  it('shows the first differing character with context', () => {
    expect(describeStringDiff('abcdef', 'abXdef')).toContain('first difference at char 2');
  });

  it('throws loudly when the golden folder is missing', () => {
    const saved = process.env.ROCK_GEM_GOLDEN_DIR;
    process.env.ROCK_GEM_GOLDEN_DIR = '/nonexistent/gem-golden';
    try {
      expect(() => gemGoldenDir()).toThrow('GEM golden transcripts not found at /nonexistent/gem-golden');
    } finally {
      if (saved === undefined) delete process.env.ROCK_GEM_GOLDEN_DIR;
      else process.env.ROCK_GEM_GOLDEN_DIR = saved;
    }
  });
});
