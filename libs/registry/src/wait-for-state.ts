import type { SandboxState } from '@rock/contracts';
import type { EventSubscription, RegistryEventListener } from './events';
import type { SandboxRecord } from './record';
import type { WaitResult } from './results';

/** The parts of the registry a wait needs. */
export interface WaitableRegistry {
  get(id: string): Promise<SandboxRecord | null>;
  onEvent(listener: RegistryEventListener): Promise<EventSubscription>;
}

/** Options of {@link waitForState}. */
export interface WaitOptions {
  /** Give up after this many ms. */
  timeoutMs: number;
  /** Re-read the record at least this often even without events (default 1000 ms). */
  pollIntervalMs?: number;
  /**
   * The record as the caller just wrote it, used instead of the first read. Only for a caller
   * that waits right after its own write, before anything that could change the record can have
   * been observed (`/start` right after enqueueing the create); the re-read bounds any miss.
   */
  known?: SandboxRecord;
}

/**
 * Resolves when sandbox `id` is in one of `states`. Event-driven (subscribes before the first
 * read, so no change is missed), with a slow re-read as a safety net and a hard deadline.
 * Outcomes are values: `not_found` when the record does not exist (or vanishes), `timeout` with
 * the last record seen.
 */
export async function waitForState(
  registry: WaitableRegistry,
  id: string,
  states: readonly SandboxState[],
  options: WaitOptions,
): Promise<WaitResult> {
  const deadline = Date.now() + options.timeoutMs;
  const pollMs = options.pollIntervalMs ?? 1000;
  let wake: () => void = () => undefined;
  // Field updates (`updated`: phase progress) cannot change the state; only the others wake a read.
  const subscription = await registry.onEvent((event) => {
    if (event.sandbox_id === id && event.type !== 'updated') wake();
  });
  let known = options.known;
  try {
    for (;;) {
      const record = known ?? (await registry.get(id));
      known = undefined;
      if (!record) return { ok: false, reason: 'not_found' };
      if (states.includes(record.state)) return { ok: true, record };
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { ok: false, reason: 'timeout', record };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, pollMs));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    subscription.unsubscribe();
  }
}
