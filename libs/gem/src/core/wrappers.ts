/**
 * GEM wrappers that make sense without a tokenizer, tools or network (GEM.md §1.2):
 * `episode_tracking`, `concat` and `concat_with_action`. The others (`concat_chat*` need a
 * tokenizer's chat template; `python_tool*` and `search_tool*` run code or call a retrieval
 * server) are not served and are rejected by name with `UnknownWrapperError`.
 */
import type { Env, Info, ResetResult, StepResult } from './env';
import { UnknownWrapperError } from './errors';

/** Base of all wrappers: delegates everything; `unwrapped` is the innermost env. */
export abstract class EnvWrapper implements Env {
  constructor(protected readonly env: Env) {}

  get envId(): string {
    return this.env.envId;
  }

  set envId(value: string) {
    this.env.envId = value;
  }

  reset(seed?: number | null): ResetResult {
    return this.env.reset(seed);
  }

  step(action: string): StepResult {
    return this.env.step(action);
  }

  sampleRandomAction(): string {
    return this.env.sampleRandomAction();
  }
}

/** Adds `step_counter`/`cumulative_rewards` to every info, and the previous episode's on reset. */
export class EpisodeTrackingWrapper extends EnvWrapper {
  private stepCounter = 0;
  private cumulativeRewards = 0;

  override reset(seed?: number | null): ResetResult {
    const [obs, info] = this.env.reset(seed);
    const tracked: Info = {
      ...info,
      step_counter: 0,
      prev_ep_step_counter: this.stepCounter,
      cumulative_rewards: 0,
      prev_ep_cumulative_rewards: this.cumulativeRewards,
    };
    this.stepCounter = 0;
    this.cumulativeRewards = 0;
    return [obs, tracked];
  }

  override step(action: string): StepResult {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    this.stepCounter += 1;
    this.cumulativeRewards += reward;
    const tracked = { ...info, step_counter: this.stepCounter, cumulative_rewards: this.cumulativeRewards };
    return [obs, reward, terminated, truncated, tracked];
  }
}

export interface ObservationWrapperOptions {
  /** Interleave the actions (or `info.parsed_action`) between observations. */
  includeAction: boolean;
  /** GEM's `max_history_length`: keep the last N actions and N+1 observations; unlimited when absent. */
  maxHistoryLength?: number;
}

/** GEM's `maybe_add_new_line`: empty text stays empty. */
function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * GEM's `ObservationWrapper` without a chat template: the observation becomes the history
 * `obs[, action], obs, …` (each non-empty piece newline-terminated), with `info.prefix` prepended and
 * `info.suffix` appended — which is how a game's board reaches the model.
 */
export class ObservationWrapper extends EnvWrapper {
  private observations: string[] = [];
  private actions: string[] = [];

  constructor(
    env: Env,
    private readonly options: ObservationWrapperOptions,
  ) {
    super(env);
  }

  override reset(seed?: number | null): ResetResult {
    const [obs, info] = this.env.reset(seed);
    this.observations = [obs];
    this.actions = [];
    return [this.render(info), info];
  }

  override step(action: string): StepResult {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    this.observations.push(obs);
    this.actions.push(typeof info.parsed_action === 'string' ? info.parsed_action : action);
    const max = this.options.maxHistoryLength;
    if (max !== undefined && max > 0) {
      this.observations = this.observations.slice(Math.max(0, this.observations.length - (max + 1)));
      this.actions = this.actions.slice(Math.max(0, this.actions.length - max));
    }
    return [this.render(info), reward, terminated, truncated, info];
  }

  private render(info: Info): string {
    let history = '';
    const obs = this.observations;
    // observations = [o0, …, on] and actions = [a0, …, a(n-1)]: the action after each observation.
    for (let i = 0; i < obs.length; i++) {
      history += withNewline(obs[i]);
      if (this.options.includeAction && i < this.actions.length) history += withNewline(this.actions[i]);
    }
    const prefix = typeof info.prefix === 'string' ? info.prefix : '';
    const suffix = typeof info.suffix === 'string' ? info.suffix : '';
    return prefix + history + suffix;
  }
}

const SERVED: Record<string, (env: Env) => Env> = {
  episode_tracking: (env) => new EpisodeTrackingWrapper(env),
  concat: (env) => new ObservationWrapper(env, { includeAction: false }),
  concat_with_action: (env) => new ObservationWrapper(env, { includeAction: true }),
};

/** GEM `WRAPPER_FACTORY` names that need a tokenizer, tools or network. */
export const UNSERVED_WRAPPERS = [
  'concat_chat',
  'concat_chat_on_reset',
  'python_tool',
  'python_tool_no_int_reward',
  'python_tool_no_int_reward_last_line_error',
  'search_tool',
  'search_tool_no_int_reward',
] as const;

/** Wrapper names `applyWrappers` accepts. */
export const SERVED_WRAPPERS = Object.keys(SERVED);

/** Applies GEM wrappers by name, innermost first (as `make_vec(..., wrappers=[...])`). */
export function applyWrappers(env: Env, names: readonly string[]): Env {
  let wrapped = env;
  for (const name of names) {
    const factory = SERVED[name];
    if (!factory) throw new UnknownWrapperError(name, SERVED_WRAPPERS, UNSERVED_WRAPPERS);
    wrapped = factory(wrapped);
  }
  return wrapped;
}
