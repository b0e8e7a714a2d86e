import type { ListSandboxesResponse, SandboxStatus } from '@rock/contracts';
import { resolveClientOptions, type ClientOptions } from './client.config';
import { RockTransport } from './transport';

/** Query of {@link RockClient.listSandboxes}. */
export interface ListQuery {
  page?: number;
  pageSize?: number;
  /** Exact-match filters on SandboxInfo fields (`image`, `user_id`, …). */
  filters?: Record<string, string>;
  /** Exact-match filters on metadata labels. */
  metadata?: Record<string, string>;
}

/** Server-wide calls that name no single sandbox: listings and batch status. */
export class RockClient {
  private readonly transport: RockTransport;

  constructor(options: ClientOptions = {}) {
    this.transport = new RockTransport(resolveClientOptions(options));
  }

  /** Live (pending/running) sandboxes, one page. */
  listSandboxes(query: ListQuery = {}): Promise<ListSandboxesResponse> {
    const params: Record<string, string | number | undefined> = { page: query.page, page_size: query.pageSize, ...query.filters };
    for (const [key, value] of Object.entries(query.metadata ?? {})) params[`metadata.${key}`] = value;
    return this.transport.envelope<ListSandboxesResponse>('sandboxes', { method: 'GET', query: params, idempotent: true });
  }

  /** Statuses of the given ids that exist (unknown ids are left out). */
  async batchStatus(sandboxIds: string[]): Promise<SandboxStatus[]> {
    const result = await this.transport.envelope<{ statuses: SandboxStatus[] }>('sandboxes/batch', { body: { sandbox_ids: sandboxIds }, idempotent: true });
    return result.statuses;
  }
}
