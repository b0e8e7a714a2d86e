import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  BatchStatusRequestSchema,
  GetStatusQuerySchema,
  IsAliveQuerySchema,
  ListSandboxesQuerySchema,
  parseOrThrow,
  ROUTE_FAILURE_MESSAGES as M,
  SANDBOX_API_PREFIX,
  StatisticsQuerySchema,
  successEnvelope,
  type IsAliveResponse,
  type ListSandboxesResponse,
  type SandboxStatus,
  type StatisticsResponse,
  type SuccessEnvelope,
} from '@rock/contracts';
import { FailureMessage } from '@rock/http';
import { CallerOf } from '../infra/caller.decorator';
import type { Caller } from '../infra/sandbox-access';
import { StatusService } from './status.service';

/** Read-only sandbox routes (API.md §3): status, liveness, listing, batch, statistics. */
@ApiTags('sandbox status')
@Controller(SANDBOX_API_PREFIX)
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Get('get_status')
  @FailureMessage(M.get_status)
  @ApiOperation({ summary: 'SandboxStatusResponse of a sandbox (stopped ones only with include_all_states=true)' })
  async getStatus(@Query() query: unknown, @CallerOf() caller: Caller): Promise<SuccessEnvelope<SandboxStatus>> {
    const q = parseOrThrow(GetStatusQuerySchema, query);
    return successEnvelope(await this.status.status(q.sandbox_id, q.include_all_states, caller));
  }

  @Get('is_alive')
  @FailureMessage(M.is_alive)
  @ApiOperation({ summary: 'Whether the sandbox answers; never Failed (problems give is_alive: false)' })
  async isAlive(@Query() query: unknown, @CallerOf() caller: Caller): Promise<SuccessEnvelope<IsAliveResponse>> {
    const parsed = IsAliveQuerySchema.safeParse(query);
    if (!parsed.success) return successEnvelope({ is_alive: false, message: 'sandbox_id: is required' });
    return successEnvelope(await this.status.isAlive(parsed.data.sandbox_id, caller));
  }

  @Get('sandboxes')
  @FailureMessage(M.sandboxes)
  @ApiOperation({ summary: 'Page of live sandboxes; other query parameters filter on SandboxInfo fields or metadata.<key>' })
  async list(@Query() query: unknown, @CallerOf() caller: Caller): Promise<SuccessEnvelope<ListSandboxesResponse>> {
    return successEnvelope(await this.status.list(parseOrThrow(ListSandboxesQuerySchema, query), caller));
  }

  @Post('sandboxes/batch')
  @HttpCode(200)
  @FailureMessage(M.batch)
  @ApiOperation({ summary: 'Statuses of up to 2000 sandboxes ({sandbox_ids}); unknown ids are left out' })
  async batch(@Body() body: unknown, @CallerOf() caller: Caller): Promise<SuccessEnvelope<{ statuses: SandboxStatus[] }>> {
    return successEnvelope(await this.status.batch(parseOrThrow(BatchStatusRequestSchema, body).sandbox_ids, caller));
  }

  @Get('get_sandbox_statistics')
  @FailureMessage(M.get_sandbox_statistics)
  @ApiOperation({ summary: 'cpu/mem/disk in percent of the limit, net in bytes' })
  async statistics(@Query() query: unknown, @CallerOf() caller: Caller): Promise<SuccessEnvelope<StatisticsResponse>> {
    return successEnvelope(await this.status.statistics(parseOrThrow(StatisticsQuerySchema, query).sandbox_id, caller));
  }
}
