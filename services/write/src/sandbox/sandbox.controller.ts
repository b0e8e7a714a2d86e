import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CommitRequestSchema,
  DeleteRequestSchema,
  parseOrThrow,
  RestartRequestSchema,
  SANDBOX_API_PREFIX,
  StopRequestSchema,
  successEnvelope,
  WarmupRequestSchema,
  type SandboxStartResponse,
  type SuccessEnvelope,
} from '@rock/contracts';
import { FailureMessage, Principal } from '@rock/http';
import { SandboxLifecycleService } from './sandbox-lifecycle.service';
import { SandboxRuntimeOpsService, type CommitAnswer, type WarmupAnswer } from './sandbox-runtime-ops.service';

/**
 * Lifecycle routes of the sandbox API (API.md §2); every answer is the `{status, message, error, result}` envelope.
 * `start` and `start_async` are plain Fastify routes (`StartRoutes`, start.routes.ts).
 */
@ApiTags('sandbox lifecycle')
@Controller(SANDBOX_API_PREFIX)
export class SandboxController {
  constructor(
    private readonly lifecycle: SandboxLifecycleService,
    private readonly ops: SandboxRuntimeOpsService,
  ) {}

  @Post('stop')
  @HttpCode(200)
  @FailureMessage('stop sandbox failed')
  @ApiOperation({ summary: 'Stop a sandbox ({sandbox_id}); idempotent' })
  async stop(@Body() body: unknown, @Principal() principal: string): Promise<SuccessEnvelope<string>> {
    return successEnvelope(await this.lifecycle.stop(parseOrThrow(StopRequestSchema, body).sandbox_id, principal));
  }

  @Post('delete')
  @HttpCode(200)
  @FailureMessage('delete sandbox failed')
  @ApiOperation({ summary: 'Delete a sandbox ({sandbox_id}); stops it first; unknown ids are a no-op' })
  async delete(@Body() body: unknown, @Principal() principal: string): Promise<SuccessEnvelope<string>> {
    return successEnvelope(await this.lifecycle.delete(parseOrThrow(DeleteRequestSchema, body).sandbox_id, principal));
  }

  @Post('restart')
  @HttpCode(200)
  @FailureMessage('restart sandbox failed')
  @ApiOperation({ summary: 'Restart a running sandbox in place (docker runtime)' })
  async restart(@Body() body: unknown, @Principal() principal: string): Promise<SuccessEnvelope<SandboxStartResponse>> {
    return successEnvelope(await this.ops.restart(parseOrThrow(RestartRequestSchema, body).sandbox_id, principal));
  }

  @Post('commit')
  @HttpCode(200)
  @FailureMessage('commit sandbox failed')
  @ApiOperation({ summary: 'Commit a running sandbox to an image tag (docker runtime)' })
  async commit(@Body() body: unknown, @Principal() principal: string): Promise<SuccessEnvelope<CommitAnswer>> {
    return successEnvelope(await this.ops.commit(parseOrThrow(CommitRequestSchema, body), principal));
  }

  @Post('warmup/tasks')
  @HttpCode(200)
  @FailureMessage('warmup failed')
  @ApiOperation({ summary: 'Pre-pull an image on the runtime ({image})' })
  async warmup(@Body() body: unknown): Promise<SuccessEnvelope<WarmupAnswer>> {
    return successEnvelope(await this.ops.warmup(parseOrThrow(WarmupRequestSchema, body).image));
  }
}
