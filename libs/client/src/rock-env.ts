import type { GemListResponse, GemMakeResponse, GemResetResponse, GemStepResponse } from '@rock/contracts';
import { resolveClientOptions, type ClientOptions } from './client.config';
import { RockTransport } from './transport';

/** `[observation, info]` of {@link RockEnv.reset}. */
export type ResetResult = [observation: string, info: Record<string, unknown>];
/** `[observation, reward, terminated, truncated, info]` of {@link RockEnv.step}. */
export type StepResult = [observation: string, reward: number, terminated: boolean, truncated: boolean, info: Record<string, unknown>];

/** Options of {@link make}. */
export interface MakeOptions extends ClientOptions {
  /** Seed applied at make time ([ext]). */
  seed?: number;
  /** Environment constructor arguments ([ext]). */
  kwargs?: Record<string, unknown>;
}

/** A GEM environment in its own sandbox (the sandbox id is the env handle). Gym-style API. */
export class RockEnv {
  constructor(
    private readonly transport: RockTransport,
    /** The sandbox holding the environment. */
    readonly sandboxId: string,
    readonly envId: string,
  ) {}

  /** Starts an episode; `seed` makes it reproducible. */
  async reset(seed?: number): Promise<ResetResult> {
    const answer = await this.transport.gem<GemResetResponse>('reset', { sandbox_id: this.sandboxId, seed }, { timeoutMs: 120_000 });
    return [String(answer.observation), (answer.info ?? {}) as Record<string, unknown>];
  }

  /** Plays one action. */
  async step(action: string): Promise<StepResult> {
    const a = await this.transport.gem<GemStepResponse>('step', { sandbox_id: this.sandboxId, action }, { timeoutMs: 120_000 });
    return [String(a.observation), Number(a.reward), Boolean(a.terminated), Boolean(a.truncated), (a.info ?? {}) as Record<string, unknown>];
  }

  /** Closes the environment and stops its sandbox. */
  async close(): Promise<void> {
    await this.transport.gem('close', { sandbox_id: this.sandboxId }, { idempotent: true, timeoutMs: 120_000 });
  }
}

/** Creates a GEM environment (`POST /apis/v1/envs/gem/make`), e.g. `await make('game:Sudoku-v0-easy')`. */
export async function make(envId: string, options: MakeOptions = {}): Promise<RockEnv> {
  const transport = new RockTransport(resolveClientOptions(options));
  const made = await transport.gem<GemMakeResponse>('make', { env_id: envId, seed: options.seed, kwargs: options.kwargs }, { timeoutMs: 300_000 });
  return new RockEnv(transport, made.sandbox_id, envId);
}

/** Every GEM environment id the server knows. */
export async function listEnvs(options: ClientOptions = {}): Promise<string[]> {
  const transport = new RockTransport(resolveClientOptions(options));
  const answer = await transport.gem<GemListResponse>('list', {}, { idempotent: true });
  return answer.env_id;
}
