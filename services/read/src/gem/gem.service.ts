import { Inject, Injectable } from '@nestjs/common';
import type { GemListResponse } from '@rock/contracts';
import { allRegistrations } from '@rock/gem';
import { SandboxAccess, type Caller } from '../infra/sandbox-access';
import { RockletClient } from '../rocklet/rocklet.client';

const GEM_LIST_TIMEOUT_MS = 60_000;

/** GEM list (API.md §4); reset and step are forwarded by `ForwardRoutes`. */
@Injectable()
export class GemService {
  constructor(
    @Inject(SandboxAccess) private readonly access: SandboxAccess,
    @Inject(RockletClient) private readonly rocklets: RockletClient,
  ) {}

  /** Without a sandbox: every env id this deployment can make; with one: what its rocklet reports. */
  async list(sandboxId: string | null, caller: Caller): Promise<GemListResponse> {
    if (!sandboxId) return { env_id: allRegistrations.map((r) => r.id) };
    const { target } = await this.access.running(sandboxId, caller, 'play its env');
    return this.rocklets.json<GemListResponse>(target, {
      operation: 'env_list', method: 'POST', path: '/env/list', json: {}, timeoutMs: GEM_LIST_TIMEOUT_MS,
    });
  }
}
