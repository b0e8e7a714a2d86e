import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  parseOrThrow,
  ROUTE_FAILURE_MESSAGES as M,
  SANDBOX_API_PREFIX,
  SandboxReadFileRequestSchema,
  SandboxWriteFileRequestSchema,
  successEnvelope,
  type ReadFileResponse,
  type SuccessEnvelope,
  type WriteFileResponse,
} from '@rock/contracts';
import { FailureMessage } from '@rock/http';
import { CallerOf } from '../infra/caller.decorator';
import type { Caller } from '../infra/sandbox-access';
import { FilesService } from './files.service';

/** read_file / write_file (API.md §3); upload and download are streaming routes (transfer.routes.ts). */
@ApiTags('sandbox files')
@Controller(SANDBOX_API_PREFIX)
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post('read_file')
  @HttpCode(200)
  @FailureMessage(M.read_file)
  @ApiOperation({ summary: 'Read a text file ({path, encoding?, errors?}) → {content}' })
  async read(@Body() body: unknown, @CallerOf() caller: Caller): Promise<SuccessEnvelope<ReadFileResponse>> {
    return successEnvelope(await this.files.read(parseOrThrow(SandboxReadFileRequestSchema, body), caller));
  }

  @Post('write_file')
  @HttpCode(200)
  @FailureMessage(M.write_file)
  @ApiOperation({ summary: 'Write a UTF-8 file, creating parent directories ({path, content})' })
  async write(@Body() body: unknown, @CallerOf() caller: Caller): Promise<SuccessEnvelope<WriteFileResponse>> {
    return successEnvelope(await this.files.write(parseOrThrow(SandboxWriteFileRequestSchema, body), caller));
  }
}
