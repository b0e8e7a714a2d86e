import { inheritedSessionEnv } from './session-env';

const rockletEnv = {
  PATH: '/opt/conda/bin:/usr/bin:/bin',
  HOME: '/sandbox/home',
  LANG: 'C.UTF-8',
  IMAGE_SETTING: 'from-image',
  ROCK_LOCAL_SANDBOX: 'inst/sb-1',
};

describe('inheritedSessionEnv', () => {
  it('keeps the image environment and the ROCK_* markers (env_enable does not narrow it)', () => {
    expect(inheritedSessionEnv(rockletEnv)).toEqual(rockletEnv);
  });

  it("never returns the caller's object (the session may add to its copy)", () => {
    expect(inheritedSessionEnv(rockletEnv)).not.toBe(rockletEnv);
  });
});
