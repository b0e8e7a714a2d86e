import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { GEM_API_PREFIX, GemListRequestSchema, parseOrThrow, type GemListResponse } from '@rock/contracts';
import { CallerOf } from '../infra/caller.decorator';
import type { Caller } from '../infra/sandbox-access';
import { GemService } from './gem.service';

/**
 * GEM list (API.md §4): bare JSON, `{detail}` errors with real statuses. `reset` and `step` are
 * hot routes forwarded without the Nest pipeline (`forward/forward-specs.ts`).
 */
@ApiTags('gem')
@Controller(GEM_API_PREFIX)
export class GemController {
  constructor(private readonly gem: GemService) {}

  @Post('list')
  @HttpCode(200)
  @ApiOperation({ summary: 'Env ids ({sandbox_id?})' })
  async list(@Body() body: unknown, @CallerOf() caller: Caller): Promise<GemListResponse> {
    return this.gem.list(parseOrThrow(GemListRequestSchema, body ?? {}).sandbox_id ?? null, caller);
  }
}
