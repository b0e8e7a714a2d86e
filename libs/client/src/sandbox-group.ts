import { RockError } from './errors';
import { Sandbox, type SandboxOptions, type StartOptions } from './sandbox';

/** Options of {@link SandboxGroup}. */
export interface SandboxGroupOptions extends SandboxOptions {
  /** How many sandboxes. */
  size: number;
  /** Starts in flight at once (default 10). */
  concurrency?: number;
  /** Extra attempts per sandbox when its start fails (default 1). */
  retries?: number;
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * `size` sandboxes of one configuration, started with bounded concurrency and per-sandbox retries.
 * If any sandbox still fails, `start()` stops the ones that started and rethrows.
 */
export class SandboxGroup {
  readonly sandboxes: Sandbox[] = [];

  constructor(readonly options: SandboxGroupOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new TypeError('size: must be an integer >= 1');
    if (options.concurrency !== undefined && (!Number.isInteger(options.concurrency) || options.concurrency < 1)) {
      throw new TypeError('concurrency: must be an integer >= 1');
    }
    if (options.sandboxId !== undefined) throw new TypeError('sandboxId: cannot be shared by a group');
  }

  /** Starts every sandbox; resolves with them in order. */
  async start(options: StartOptions = {}): Promise<Sandbox[]> {
    const { size: _size, concurrency, retries, ...sandboxOptions } = this.options;
    const started: Sandbox[] = [];
    try {
      const sandboxes = await mapConcurrent(Array.from({ length: this.options.size }), concurrency ?? 10, async () => {
        const sandbox = await startWithRetries(sandboxOptions, retries ?? 1, options);
        started.push(sandbox);
        return sandbox;
      });
      this.sandboxes.push(...sandboxes);
      return sandboxes;
    } catch (error) {
      await Promise.all(started.map((sandbox) => sandbox.stop().catch(() => undefined)));
      throw error;
    }
  }

  /** Stops every sandbox of the group (errors of single stops are collected, then the first rethrown). */
  async stop(): Promise<void> {
    const errors: unknown[] = [];
    await mapConcurrent(this.sandboxes, this.options.concurrency ?? 10, (sandbox) => sandbox.stop().catch((error: unknown) => void errors.push(error)));
    this.sandboxes.length = 0;
    if (errors.length > 0) throw errors[0];
  }
}

async function startWithRetries(options: SandboxOptions, retries: number, startOptions: StartOptions): Promise<Sandbox> {
  for (let attempt = 0; ; attempt += 1) {
    const sandbox = new Sandbox(options);
    try {
      await sandbox.start(startOptions);
      return sandbox;
    } catch (error) {
      if (hasId(sandbox)) await sandbox.stop().catch(() => undefined);
      const refused = error instanceof RockError && error.code >= 4000 && error.code < 5000;
      if (refused || attempt >= retries) throw error;
    }
  }
}

function hasId(sandbox: Sandbox): boolean {
  try {
    return sandbox.sandboxId.length > 0;
  } catch {
    return false;
  }
}
