import type { SandboxState } from '@rock/contracts';
import type { EventSubscription, RegistryEventListener } from './events';
import type { SandboxRecord } from './record';
import type { WaitResult } from './results';

/** The parts of the registry a wait needs. */
export interface WaitableRegistry {
  get(id: string): Promise<SandboxRecord | null>;
  onEvent(listener: RegistryEventListener): Promise<EventSubscription>;
  /**
   * Records this process itself just wrote (a transition's reply), handed to in-process waiters
   * at once: no pub/sub hop and no re-read. Returns the unsubscribe function.
   */
  onLocalRecord?(id: string, listener: (record: SandboxRecord) => void): () => void;
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
  let known = options.known;
  const stopLocal = registry.onLocalRecord?.(id, (record) => {
    known = record;
    wake();
  });
  // Field updates (`updated`: phase progress) cannot change the state; only the others wake a read.
  const subscription = await registry.onEvent((event) => {
    if (event.sandbox_id === id && event.type !== 'updated') wake();
  }).catch((error: unknown) => {
    stopLocal?.();
    throw error;
  });
  try {
    for (;;) {
      const taken = known; // a record delivered during the read below waits for the next round
      known = undefined;
      const record = taken ?? (await registry.get(id));
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
    stopLocal?.();
  }
}
