import { Inject, Injectable } from '@nestjs/common';
import { SandboxStateConflictError } from '@rock/contracts';
import type { SandboxRecord } from '@rock/registry';
import type { RockletTarget } from '../rocklet/rocklet.client';
import { SandboxDirectory } from './sandbox-directory';

/** Who asks, and under which request id (forwarded to the rocklet). */
export interface Caller {
  principal: string;
  requestId: string;
}

/** A running sandbox and how to reach its rocklet. */
export interface RunningSandbox {
  record: SandboxRecord;
  target: RockletTarget;
}

/**
 * The gate of every call that reaches into a sandbox: the id must name a visible sandbox
 * (else 4000 not found) that is running with a known rocklet address; its idle deadline slides.
 */
@Injectable()
export class SandboxAccess {
  constructor(@Inject(SandboxDirectory) private readonly directory: SandboxDirectory) {}

  async running(sandboxId: string, caller: Caller, action = 'run commands in it'): Promise<RunningSandbox> {
    const record = await this.directory.require(sandboxId, caller.principal);
    if (record.state !== 'running' || !record.rocklet_url) {
      throw new SandboxStateConflictError(sandboxId, record.state === 'running' ? 'starting' : record.state, action);
    }
    this.directory.touch(record);
    return { record, target: { url: record.rocklet_url, token: record.rocklet_token, requestId: caller.requestId } };
  }
}
