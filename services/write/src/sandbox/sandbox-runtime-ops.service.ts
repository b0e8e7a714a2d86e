import { Inject, Injectable } from '@nestjs/common';
import {
  BadRequestError,
  RuntimeUnavailableError,
  SandboxNotFoundError,
  SandboxStateConflictError,
  UnsupportedByRuntimeError,
  type CommitRequest,
  type SandboxStartResponse,
} from '@rock/contracts';
import { toStartResponse, type SandboxRegistry } from '@rock/registry';
import { isRuntimeError, type SandboxRuntime } from '@rock/runtime';
import { SANDBOX_REGISTRY, SANDBOX_RUNTIME } from '../infra/write.tokens';
import { numericPortMapping } from '../lifecycle/port-mapping';

/** Result of `/commit`. */
export interface CommitAnswer {
  sandbox_id: string;
  image_tag: string;
  image_id: string;
}

/** Result of `/warmup/tasks`. */
export interface WarmupAnswer {
  image: string;
  status: 'ready';
}

/** Budget of a warmup pull. */
const WARMUP_TIMEOUT_MS = 600_000;

/**
 * In-place operations on a running sandbox that only some runtimes offer (API.md §2): restart,
 * commit, warmup. Elsewhere they answer "<op> is not supported by runtime <name>".
 */
@Injectable()
export class SandboxRuntimeOpsService {
  constructor(
    @Inject(SANDBOX_REGISTRY) private readonly registry: SandboxRegistry,
    @Inject(SANDBOX_RUNTIME) private readonly runtime: SandboxRuntime,
  ) {}

  async restart(sandboxId: string, principal: string): Promise<SandboxStartResponse> {
    const restart = this.runtime.restart?.bind(this.runtime);
    if (!this.runtime.capabilities.restart || !restart) throw new UnsupportedByRuntimeError('restart', this.runtime.name);
    const record = await this.runningRecord(sandboxId, principal, 'restart');
    const handle = await restart(sandboxId, { startupTimeoutMs: record.startup_timeout * 1000 }).catch(mapRuntimeError);
    const patched = await this.registry.patch(
      sandboxId,
      { host_ip: handle.hostIp, host_name: handle.hostName, port_mapping: numericPortMapping(handle.portMapping), rocklet_url: handle.rockletUrl,
        resource_id: handle.resourceId },
      ['running'],
    );
    if (!patched.ok) throw new SandboxNotFoundError(sandboxId);
    return toStartResponse(patched.record);
  }

  async commit(request: CommitRequest, principal: string): Promise<CommitAnswer> {
    const commit = this.runtime.commit?.bind(this.runtime);
    if (!this.runtime.capabilities.commit || !commit) throw new UnsupportedByRuntimeError('commit', this.runtime.name);
    if (request.username !== null || request.password !== null) {
      throw new BadRequestError('pushing a committed image is not supported: no image registry is configured; omit username/password');
    }
    await this.runningRecord(request.sandbox_id, principal, 'commit');
    const result = await commit(request.sandbox_id, request.image_tag).catch(mapRuntimeError);
    return { sandbox_id: request.sandbox_id, image_tag: result.imageTag, image_id: result.imageId };
  }

  async warmup(image: string): Promise<WarmupAnswer> {
    const warmup = this.runtime.warmup?.bind(this.runtime);
    if (!this.runtime.capabilities.warmup || !warmup) throw new UnsupportedByRuntimeError('warmup', this.runtime.name);
    await warmup(image, { timeoutMs: WARMUP_TIMEOUT_MS }).catch(mapRuntimeError);
    return { image, status: 'ready' };
  }

  private async runningRecord(sandboxId: string, principal: string, action: string) {
    const record = await this.registry.get(sandboxId);
    if (!record || record.owner !== principal) throw new SandboxNotFoundError(sandboxId);
    if (record.state !== 'running') throw new SandboxStateConflictError(sandboxId, record.state, action);
    return record;
  }

}

/** Runtime failures as RockErrors: unreachable engine → 503, anything else → 400 with its sentence. */
function mapRuntimeError(error: unknown): never {
  if (!isRuntimeError(error)) throw error;
  if (error.code === 'RUNTIME_UNAVAILABLE') throw new RuntimeUnavailableError('docker', error.message, { cause: error });
  throw new BadRequestError(error.message, { cause: error });
}
