import { Inject, Injectable } from '@nestjs/common';
import {
  SandboxNotFoundError,
  type IsAliveResponse,
  type ListSandboxesQuery,
  type ListSandboxesResponse,
  type SandboxStatus,
  type StatisticsResponse,
} from '@rock/contracts';
import { isLiveState, toSandboxStatus, type SandboxRegistry } from '@rock/registry';
import { READ_REGISTRY } from '../infra/read.tokens';
import { SandboxAccess, type Caller } from '../infra/sandbox-access';
import { SandboxDirectory } from '../infra/sandbox-directory';
import { RockletClient } from '../rocklet/rocklet.client';

const IS_ALIVE_TIMEOUT_MS = 5_000;
const STATISTICS_TIMEOUT_MS = 15_000;

/** Status, liveness, listing and statistics of sandboxes (API.md §3). */
@Injectable()
export class StatusService {
  constructor(
    @Inject(SandboxDirectory) private readonly directory: SandboxDirectory,
    @Inject(READ_REGISTRY) private readonly registry: SandboxRegistry,
    @Inject(SandboxAccess) private readonly access: SandboxAccess,
    @Inject(RockletClient) private readonly rocklets: RockletClient,
  ) {}

  /**
   * Without `includeAllStates`, a sandbox that is not pending/running is "not found". The idle
   * deadline is slid first and the record then read fresh, so the answer shows the new deadline.
   */
  async status(sandboxId: string, includeAllStates: boolean, caller: Caller): Promise<SandboxStatus> {
    const known = await this.directory.require(sandboxId, caller.principal);
    if (isLiveState(known.state)) await this.directory.touchNow(known);
    const record = await this.directory.fresh(sandboxId, caller.principal);
    if (!includeAllStates && !isLiveState(record.state)) throw new SandboxNotFoundError(sandboxId);
    return toSandboxStatus(record);
  }

  /** Never fails: any problem is `is_alive: false` with the reason. */
  async isAlive(sandboxId: string, caller: Caller): Promise<IsAliveResponse> {
    try {
      const { target } = await this.access.running(sandboxId, caller, 'check it');
      const answer = await this.rocklets.json<IsAliveResponse>(target, {
        operation: 'is_alive', method: 'GET', path: '/is_alive', timeoutMs: IS_ALIVE_TIMEOUT_MS,
      });
      return { is_alive: answer.is_alive === true, message: typeof answer.message === 'string' ? answer.message : '' };
    } catch (error) {
      return { is_alive: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  async list(query: ListSandboxesQuery, caller: Caller): Promise<ListSandboxesResponse> {
    const page = await this.registry.list({
      page: query.page,
      pageSize: query.page_size,
      filters: query.filters,
      metadata: query.metadata,
      owner: this.directory.ownerFilter(caller.principal),
    });
    return { items: page.items.map(toSandboxStatus), total: page.total, has_more: page.hasMore };
  }

  async batch(ids: readonly string[], caller: Caller): Promise<{ statuses: SandboxStatus[] }> {
    const records = await this.directory.findMany([...new Set(ids)], caller.principal);
    return { statuses: records.map(toSandboxStatus) };
  }

  async statistics(sandboxId: string, caller: Caller): Promise<StatisticsResponse> {
    const { target } = await this.access.running(sandboxId, caller, 'read its statistics');
    return this.rocklets.json<StatisticsResponse>(target, {
      operation: 'get_statistics', method: 'GET', path: '/get_statistics', timeoutMs: STATISTICS_TIMEOUT_MS,
    });
  }
}
