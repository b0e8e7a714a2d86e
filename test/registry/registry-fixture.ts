import { randomBytes } from 'node:crypto';
import { applyServerDefaults, parseOrThrow, SandboxStartRequestSchema, type SandboxStartRequestInput } from '@rock/contracts';
import { createRedisConnection, newSandboxRecord, SandboxRegistry, type Redis, type SandboxRecord } from '@rock/registry';
import { unlinkKeys } from '@rock/testing';

export const REDIS_URL = 'redis://127.0.0.1:6379';

/** A registry on a unique key prefix, plus cleanup that deletes exactly that prefix's keys. */
export interface RegistryFixture {
  prefix: string;
  redis: Redis;
  registry: SandboxRegistry;
  /** More registries on the same prefix with their own connections (other "replicas"). */
  replica(): SandboxRegistry;
  cleanup(): Promise<void>;
}

export function registryFixture(options: { now?: () => number; stoppedRetentionSeconds?: number } = {}): RegistryFixture {
  const prefix = `rocktest:${randomBytes(6).toString('hex')}:`;
  const redis = createRedisConnection(REDIS_URL, { name: 'rock-registry-test' });
  const registry = new SandboxRegistry(redis, { prefix, ...options });
  const replicas: SandboxRegistry[] = [];
  return {
    prefix,
    redis,
    registry,
    replica() {
      const r = SandboxRegistry.connect(REDIS_URL, { prefix, ...options });
      replicas.push(r);
      return r;
    },
    async cleanup() {
      await unlinkKeys(redis, [`${prefix}*`]);
      await Promise.all(replicas.map((r) => r.close()));
      await registry.close();
      await redis.quit();
    },
  };
}

let counter = 0;

/** A validated pending record, as the write service would build it. */
export function sandboxRecord(
  input: Partial<SandboxStartRequestInput> = {},
  extra: { owner?: string; nowMs?: number; userId?: string; runtime?: string } = {},
): SandboxRecord {
  counter += 1;
  const req = parseOrThrow(SandboxStartRequestSchema, { image: 'busybox:latest', sandbox_id: `sbx-${counter}-${randomBytes(3).toString('hex')}`, ...input });
  return newSandboxRecord(applyServerDefaults(req, { autoClearMinutes: 30, startupTimeoutSeconds: 60 }), {
    caller: { user_id: extra.userId ?? 'default', experiment_id: 'exp', namespace: 'default', cluster: 'default' },
    owner: extra.owner ?? 'alice',
    runtime: extra.runtime ?? 'docker',
    rockletToken: 'token-secret',
    nowMs: extra.nowMs ?? Date.now(),
  });
}
