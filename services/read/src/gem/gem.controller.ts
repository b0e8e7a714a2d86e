import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  GEM_API_PREFIX,
  GemListRequestSchema,
  GemResetRequestSchema,
  GemStepRequestSchema,
  parseOrThrow,
  type GemListResponse,
  type GemResetResponse,
  type GemStepResponse,
} from '@rock/contracts';
import { CallerOf } from '../infra/caller.decorator';
import type { Caller } from '../infra/sandbox-access';
import { GemService } from './gem.service';

/** GEM reset/step/list (API.md §4): bare JSON, `{detail}` errors with real statuses. */
@ApiTags('gem')
@Controller(GEM_API_PREFIX)
export class GemController {
  constructor(private readonly gem: GemService) {}

  @Post('reset')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reset the env of a GEM sandbox ({sandbox_id, seed?}) → {observation, info}' })
  async reset(@Body() body: unknown, @CallerOf() caller: Caller): Promise<GemResetResponse> {
    return this.gem.reset(parseOrThrow(GemResetRequestSchema, body), caller);
  }

  @Post('step')
  @HttpCode(200)
  @ApiOperation({ summary: 'One step ({sandbox_id, action}) → {observation, reward, terminated, truncated, info}' })
  async step(@Body() body: unknown, @CallerOf() caller: Caller): Promise<GemStepResponse> {
    return this.gem.step(parseOrThrow(GemStepRequestSchema, body), caller);
  }

  @Post('list')
  @HttpCode(200)
  @ApiOperation({ summary: 'Env ids ({sandbox_id?})' })
  async list(@Body() body: unknown, @CallerOf() caller: Caller): Promise<GemListResponse> {
    return this.gem.list(parseOrThrow(GemListRequestSchema, body ?? {}).sandbox_id ?? null, caller);
  }
}
