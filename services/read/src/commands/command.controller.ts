import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  failedEnvelope,
  parseOrThrow,
  RockletCallError,
  ROUTE_FAILURE_MESSAGES as M,
  SANDBOX_API_PREFIX,
  SandboxCloseSessionRequestSchema,
  SandboxCreateSessionRequestSchema,
  SandboxExecuteRequestSchema,
  SandboxRunInSessionRequestSchema,
  successEnvelope,
  type CloseSessionResponse,
  type CreateSessionResponse,
  type ExecuteResponse,
  type FailedEnvelope,
  type RunInSessionResponse,
  type SuccessEnvelope,
} from '@rock/contracts';
import { FailureMessage } from '@rock/http';
import { CallerOf } from '../infra/caller.decorator';
import type { Caller } from '../infra/sandbox-access';
import { CommandService } from './command.service';

/** execute and the session routes (API.md §3). */
@ApiTags('sandbox commands')
@Controller(SANDBOX_API_PREFIX)
export class CommandController {
  constructor(private readonly commands: CommandService) {}

  @Post('execute')
  @HttpCode(200)
  @FailureMessage(M.execute)
  @ApiOperation({ summary: 'Run one command ({command, shell, timeout, cwd, env, check}) → {stdout, stderr, exit_code}' })
  async execute(@Body() body: unknown, @CallerOf() caller: Caller): Promise<SuccessEnvelope<ExecuteResponse>> {
    return successEnvelope(await this.commands.execute(parseOrThrow(SandboxExecuteRequestSchema, body), caller));
  }

  @Post('create_session')
  @HttpCode(200)
  @FailureMessage(M.create_session)
  @ApiOperation({ summary: 'Start a persistent bash session' })
  async createSession(@Body() body: unknown, @CallerOf() caller: Caller): Promise<SuccessEnvelope<CreateSessionResponse>> {
    return successEnvelope(await this.commands.createSession(parseOrThrow(SandboxCreateSessionRequestSchema, body), caller));
  }

  /**
   * A timeout or rocklet error answers Failed with `result: null` (API.md §3); a non-zero exit
   * under `check: "raise"` is the 6000 failure the exception filter writes.
   */
  @Post('run_in_session')
  @HttpCode(200)
  @FailureMessage(M.run_in_session)
  @ApiOperation({ summary: 'Run one command line in a session (check: raise | silent | ignore)' })
  async runInSession(
    @Body() body: unknown,
    @CallerOf() caller: Caller,
  ): Promise<SuccessEnvelope<RunInSessionResponse> | FailedEnvelope> {
    const request = parseOrThrow(SandboxRunInSessionRequestSchema, body);
    try {
      return successEnvelope(await this.commands.runInSession(request, caller));
    } catch (error) {
      if (error instanceof RockletCallError) return failedEnvelope(M.run_in_session, error.message, null);
      throw error;
    }
  }

  @Post('close_session')
  @HttpCode(200)
  @FailureMessage(M.close_session)
  @ApiOperation({ summary: 'Close a session' })
  async closeSession(@Body() body: unknown, @CallerOf() caller: Caller): Promise<SuccessEnvelope<CloseSessionResponse>> {
    return successEnvelope(await this.commands.closeSession(parseOrThrow(SandboxCloseSessionRequestSchema, body), caller));
  }
}
