import { inheritedSessionEnv } from './session-env';

const rockletEnv = {
  PATH: '/opt/conda/bin:/usr/bin:/bin',
  HOME: '/sandbox/home',
  LANG: 'C.UTF-8',
  IMAGE_SETTING: 'from-image',
  ROCK_LOCAL_SANDBOX: 'inst/sb-1',
};

describe('inheritedSessionEnv', () => {
  it('keeps the image environment (and the ROCK_* markers) with or without env_enable', () => {
    expect(inheritedSessionEnv(rockletEnv, true)).toEqual(rockletEnv);
    expect(inheritedSessionEnv(rockletEnv, false)).toEqual(rockletEnv);
  });

  it("never returns the caller's object (the session may add to its copy)", () => {
    expect(inheritedSessionEnv(rockletEnv, true)).not.toBe(rockletEnv);
    expect(inheritedSessionEnv(rockletEnv, false)).not.toBe(rockletEnv);
  });
});
