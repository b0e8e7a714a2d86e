import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { callerFromHeaders, GEM_API_PREFIX, GemCloseRequestSchema, GemMakeRequestSchema, parseOrThrow } from '@rock/contracts';
import { Principal, RequestHeaders, RequestId } from '@rock/http';
import { GemService } from './gem.service';

type Headers = Record<string, string | string[] | undefined>;

/** GEM lifecycle routes (API.md §4): bare JSON; errors `{detail}` with a real HTTP status. */
@ApiTags('gem')
@Controller(GEM_API_PREFIX)
export class GemController {
  constructor(private readonly gem: GemService) {}

  @Post('make')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a sandbox serving one GEM env ({env_id, seed?, kwargs?} → {sandbox_id})' })
  async make(@Body() body: unknown, @RequestHeaders() headers: Headers, @Principal() principal: string, @RequestId() requestId: string) {
    return this.gem.make(parseOrThrow(GemMakeRequestSchema, body), { caller: callerFromHeaders(headers), principal }, requestId);
  }

  @Post('close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a GEM env and stop its sandbox ({sandbox_id})' })
  async close(@Body() body: unknown, @Principal() principal: string, @RequestId() requestId: string) {
    return this.gem.close(parseOrThrow(GemCloseRequestSchema, body).sandbox_id, principal, requestId);
  }
}
