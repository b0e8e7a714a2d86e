import { Inject, Injectable } from '@nestjs/common';
import type { GemListResponse, GemResetRequest, GemResetResponse, GemStepRequest, GemStepResponse } from '@rock/contracts';
import { allRegistrations } from '@rock/gem';
import { SandboxAccess, type Caller } from '../infra/sandbox-access';
import { RockletClient, type RockletCall } from '../rocklet/rocklet.client';

/** Budget of one reset/step (a reset may generate a level, e.g. Sokoban). */
const GEM_CALL_TIMEOUT_MS = 60_000;

/** GEM reset/step/list (API.md §4): forwarded to the env living in the sandbox's rocklet. */
@Injectable()
export class GemService {
  constructor(
    @Inject(SandboxAccess) private readonly access: SandboxAccess,
    @Inject(RockletClient) private readonly rocklets: RockletClient,
  ) {}

  async reset(request: GemResetRequest, caller: Caller): Promise<GemResetResponse> {
    return this.call(request.sandbox_id, caller, { operation: 'env_reset', path: '/env/reset', json: { seed: request.seed } });
  }

  async step(request: GemStepRequest, caller: Caller): Promise<GemStepResponse> {
    return this.call(request.sandbox_id, caller, { operation: 'env_step', path: '/env/step', json: { action: request.action } });
  }

  /** Without a sandbox: every env id this deployment can make; with one: what its rocklet reports. */
  async list(sandboxId: string | null, caller: Caller): Promise<GemListResponse> {
    if (!sandboxId) return { env_id: allRegistrations.map((r) => r.id) };
    return this.call(sandboxId, caller, { operation: 'env_list', path: '/env/list', json: {} });
  }

  private async call<T>(sandboxId: string, caller: Caller, call: Pick<RockletCall, 'operation' | 'path' | 'json'>): Promise<T> {
    const { target } = await this.access.running(sandboxId, caller, 'play its env');
    return this.rocklets.json<T>(target, { ...call, method: 'POST', timeoutMs: GEM_CALL_TIMEOUT_MS });
  }
}
