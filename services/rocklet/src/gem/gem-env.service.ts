import type * as Gem from '@rock/gem';
import { envNotMade } from './env-errors';
import type { EnvMakeRequest } from './env-requests';

export interface EnvResetAnswer {
  observation: string;
  info: Record<string, unknown>;
}

export interface EnvStepAnswer extends EnvResetAnswer {
  reward: number;
  terminated: boolean;
  truncated: boolean;
}

/**
 * The one GEM env of this sandbox (GEM.md §3: the sandbox id is the env handle). `@rock/gem` is
 * loaded on the first make or list, so starting the rocklet does not pay for the game code.
 *
 * Decisions: `make` while an env exists **replaces** it (the reference overwrites
 * `_gem_envs[sandbox_id]`); a `seed` given to make is validated at once and used by the first
 * `reset` that comes without a seed; after `close`, reset/step answer 404 naming the closed env.
 */
export class GemEnvService {
  private gem: Promise<typeof Gem> | null = null;
  private env: Gem.RegisteredEnv | null = null;
  private pendingSeed: number | null = null;
  private closedEnvId: string | null = null;

  constructor(private readonly dataDir: string | null) {}

  private load(): Promise<typeof Gem> {
    this.gem ??= import('@rock/gem');
    return this.gem;
  }

  async make(request: EnvMakeRequest): Promise<{ env_id: string }> {
    const gem = await this.load();
    const seed = gem.validateSeed(request.seed);
    const env = gem.make(request.env_id, request.kwargs, this.dataDir === null ? {} : { dataDir: this.dataDir });
    this.env = env;
    this.pendingSeed = seed;
    this.closedEnvId = null;
    return { env_id: env.envId };
  }

  reset(seed: unknown): EnvResetAnswer {
    const env = this.current();
    const effective = seed === undefined || seed === null ? this.pendingSeed : seed;
    const [observation, info] = env.reset(effective as number | null);
    this.pendingSeed = null;
    return { observation, info };
  }

  step(action: string): EnvStepAnswer {
    const [observation, reward, terminated, truncated, info] = this.current().step(action);
    return { observation, reward, terminated, truncated, info };
  }

  /** Drops the env; closing when none exists is not an error (close is idempotent). */
  close(): { closed: string | null } {
    const closed = this.env?.envId ?? null;
    if (this.env) this.closedEnvId = closed;
    this.env = null;
    this.pendingSeed = null;
    return { closed };
  }

  async list(): Promise<{ env_id: string[] }> {
    return { env_id: (await this.load()).list() };
  }

  private current(): Gem.RegisteredEnv {
    if (!this.env) throw envNotMade(this.closedEnvId);
    return this.env;
  }
}
