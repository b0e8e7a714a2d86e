import { inheritedSessionEnv } from './session-env';

const rockletEnv = {
  PATH: '/opt/conda/bin:/usr/bin:/bin',
  HOME: '/sandbox/home',
  LANG: 'C.UTF-8',
  IMAGE_SETTING: 'from-image',
  ROCK_LOCAL_SANDBOX: 'inst/sb-1',
};

describe('inheritedSessionEnv', () => {
  it('copies the whole rocklet environment with env_enable', () => {
    expect(inheritedSessionEnv(rockletEnv, true)).toEqual(rockletEnv);
  });

  it('keeps only PATH, HOME and the ROCK_* markers without env_enable', () => {
    expect(inheritedSessionEnv(rockletEnv, false)).toEqual({
      PATH: '/opt/conda/bin:/usr/bin:/bin',
      HOME: '/sandbox/home',
      ROCK_LOCAL_SANDBOX: 'inst/sb-1',
    });
  });

  it('never returns the caller\'s object (the session may add to its copy)', () => {
    expect(inheritedSessionEnv(rockletEnv, true)).not.toBe(rockletEnv);
  });
});
