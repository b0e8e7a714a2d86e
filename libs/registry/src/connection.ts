import { Redis } from 'ioredis';

/** Options for {@link createRedisConnection}. */
export interface RedisConnectionOptions {
  /** Connection name shown by `CLIENT LIST` (e.g. `rock-write-registry`). */
  name?: string;
  /**
   * `true` for BullMQ workers and blocking clients, which require `maxRetriesPerRequest: null`
   * (STYLE §6); otherwise commands fail after a bounded number of reconnect attempts.
   */
  forBlockingCommands?: boolean;
  /** Connect timeout in ms (default 5000). */
  connectTimeoutMs?: number;
  /**
   * Commands issued in the same tick leave in one write (ioredis auto-pipelining). Default: on,
   * except for blocking clients, where one command waits at a time anyway.
   */
  autoPipelining?: boolean;
}

/**
 * Opens an ioredis connection; the only place services get one, so they never import ioredis
 * (STYLE §2). Reconnects with a capped back-off.
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions = {}): Redis {
  return new Redis(url, {
    connectionName: options.name,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest: options.forBlockingCommands ? null : 3,
    enableAutoPipelining: options.autoPipelining ?? !options.forBlockingCommands,
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 2000),
  });
}

export type { Redis };
