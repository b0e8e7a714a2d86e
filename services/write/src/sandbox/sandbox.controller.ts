import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  callerFromHeaders,
  CommitRequestSchema,
  DeleteRequestSchema,
  parseOrThrow,
  RestartRequestSchema,
  SANDBOX_API_PREFIX,
  SandboxStartRequestSchema,
  StopRequestSchema,
  successEnvelope,
  WarmupRequestSchema,
  type SandboxStartResponse,
  type SuccessEnvelope,
} from '@rock/contracts';
import { FailureMessage, Principal, RequestHeaders } from '@rock/http';
import { SandboxLifecycleService, type Requester } from './sandbox-lifecycle.service';
import { SandboxRuntimeOpsService, type CommitAnswer, type WarmupAnswer } from './sandbox-runtime-ops.service';

type Headers = Record<string, string | string[] | undefined>;
const requester = (headers: Headers, principal: string): Requester => ({ caller: callerFromHeaders(headers), principal });

/** Lifecycle routes of the sandbox API (API.md §2); every answer is the `{status, message, error, result}` envelope. */
@ApiTags('sandbox lifecycle')
@Controller(SANDBOX_API_PREFIX)
export class SandboxController {
  constructor(
    private readonly lifecycle: SandboxLifecycleService,
    private readonly ops: SandboxRuntimeOpsService,
  ) {}

  @Post('start')
  @HttpCode(200)
  @FailureMessage('start sandbox failed')
  @ApiOperation({ summary: 'Create a sandbox and answer once it runs (SandboxStartRequest → SandboxStartResponse)' })
  async start(@Body() body: unknown, @RequestHeaders() headers: Headers, @Principal() principal: string): Promise<SuccessEnvelope<SandboxStartResponse>> {
    return successEnvelope(await this.lifecycle.start(parseOrThrow(SandboxStartRequestSchema, body), requester(headers, principal)));
  }

  @Post('start_async')
  @HttpCode(200)
  @FailureMessage('start sandbox failed')
  @ApiOperation({ summary: 'Create a sandbox and answer at once with the pending record' })
  async startAsync(@Body() body: unknown, @RequestHeaders() headers: Headers, @Principal() principal: string): Promise<SuccessEnvelope<SandboxStartResponse>> {
    return successEnvelope(await this.lifecycle.startAsync(parseOrThrow(SandboxStartRequestSchema, body), requester(headers, principal)));
  }

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
