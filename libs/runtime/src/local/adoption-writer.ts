import type { LocalSandboxState } from './local-state';

/** A burst's writes wait until takes pause this long… */
const QUIET_MS = 50;
/** …but never longer than this after the first unwritten one. */
const MAX_DELAY_MS = 500;

/**
 * Holds the on-disk bookkeeping of warm sandboxes (state file + `<root>/<id>` link) until a burst
 * of creates pauses, then hands each to `write`. The writes cost the event loop ≈ 0.3–0.4 ms per
 * sandbox (five fs calls through the thread pool, and the directory lock they share); done while
 * the burst runs they delayed every answer of it, done after it they delay none. Until then the
 * runtime's in-memory index answers for the sandbox, and a crash in the window leaves a slot the
 * pool's start-up sweep removes (see `persistAdoption`), so the delay widens that window from a few
 * ms to at most {@link MAX_DELAY_MS} and changes nothing else.
 */
export class AdoptionWriter {
  private readonly queued = new Map<string, LocalSandboxState>();
  private timer: NodeJS.Timeout | null = null;
  private dueBy: number | null = null;

  constructor(
    private readonly write: (state: LocalSandboxState) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues `state`'s write; it runs once takes pause for {@link QUIET_MS}. */
  queue(state: LocalSandboxState): void {
    this.queued.set(state.sandboxId, state);
    const now = this.now();
    this.dueBy ??= now + MAX_DELAY_MS;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), Math.max(0, Math.min(QUIET_MS, this.dueBy - now)));
    this.timer.unref();
  }

  /** Drops `id`'s write if it has not been handed out (the sandbox is destroyed before it was needed). */
  cancel(id: string): boolean {
    return this.queued.delete(id);
  }

  /** Hands every queued write out now (shutdown, or the timer). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dueBy = null;
    const states = [...this.queued.values()];
    this.queued.clear();
    for (const state of states) this.write(state);
  }

  get pending(): number {
    return this.queued.size;
  }
}
