import type { Env, Info, ResetResult, StepResult } from './env';
import { UnknownWrapperError } from './errors';
import { EpisodeTrackingWrapper, ObservationWrapper, applyWrappers } from './wrappers';

/** A scripted env: reset says "start", each step echoes the action with reward 0.5. */
class EchoEnv implements Env {
  envId = 'game:Echo-v0';
  private turn = 0;
  reset(): ResetResult {
    this.turn = 0;
    return ['start', { suffix: 'BOARD' }];
  }
  step(action: string): StepResult {
    this.turn++;
    const info: Info = action === 'tool' ? { suffix: `B${this.turn}`, parsed_action: 'parsed' } : { suffix: `B${this.turn}` };
    return [`obs${this.turn}\n`, 0.5, false, false, info];
  }
  sampleRandomAction(): string {
    return 'a';
  }
}

describe('EpisodeTrackingWrapper', () => {
  it('counts steps and rewards per episode and reports the previous episode on reset', () => {
    const env = new EpisodeTrackingWrapper(new EchoEnv());
    const [, info] = env.reset();
    expect(Object.keys(info)).toEqual(['suffix', 'step_counter', 'prev_ep_step_counter', 'cumulative_rewards', 'prev_ep_cumulative_rewards']);
    expect(info).toEqual({ suffix: 'BOARD', prev_ep_step_counter: 0, prev_ep_cumulative_rewards: 0, step_counter: 0, cumulative_rewards: 0 });
    env.step('a');
    expect(env.step('b')[4]).toEqual({ suffix: 'B2', step_counter: 2, cumulative_rewards: 1 });
    expect(env.reset()[1]).toMatchObject({ prev_ep_step_counter: 2, prev_ep_cumulative_rewards: 1, step_counter: 0 });
  });
});

describe('ObservationWrapper (concat)', () => {
  it('concat: newline-terminated observations followed by info.suffix', () => {
    const env = applyWrappers(new EchoEnv(), ['concat']);
    expect(env.reset()[0]).toBe('start\nBOARD');
    env.step('left');
    expect(env.step('right')[0]).toBe('start\nobs1\nobs2\nB2');
  });

  it('concat_with_action interleaves actions, preferring info.parsed_action', () => {
    const env = applyWrappers(new EchoEnv(), ['concat_with_action']);
    env.reset();
    env.step('left');
    expect(env.step('tool')[0]).toBe('start\nleft\nobs1\nparsed\nobs2\nB2');
  });

  it('keeps a bounded history when asked', () => {
    const env = new ObservationWrapper(new EchoEnv(), { includeAction: true, maxHistoryLength: 1 });
    env.reset();
    expect(env.step('a')[0]).toBe('start\na\nobs1\nB1');
    env.step('b');
    expect(env.step('c')[0]).toBe('obs2\nc\nobs3\nB3');
  });

  it('leaves empty pieces empty, as maybe_add_new_line does', () => {
    const env = applyWrappers(new EchoEnv(), ['concat_with_action']);
    env.reset();
    expect(env.step('')[0]).toBe('start\nobs1\nB1');
  });

  it('applies wrappers innermost first and rejects unserved or unknown names by name', () => {
    const env = applyWrappers(new EchoEnv(), ['concat', 'episode_tracking']);
    expect(env.reset()).toEqual(['start\nBOARD', expect.objectContaining({ step_counter: 0 })]);
    expect(env.envId).toBe('game:Echo-v0');
    expect(() => applyWrappers(new EchoEnv(), ['python_tool'])).toThrow(UnknownWrapperError);
    expect(() => applyWrappers(new EchoEnv(), ['concat_chat'])).toThrow("wrappers: 'concat_chat' is not served");
    expect(() => applyWrappers(new EchoEnv(), ['nope'])).toThrow("wrappers: 'nope' is not a GEM wrapper");
  });
});
