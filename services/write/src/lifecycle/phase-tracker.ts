import { withPhase, type Phases, type StartPhase } from '@rock/contracts';
import type { RockMetrics } from '@rock/observability';
import type { SandboxRegistry } from '@rock/registry';
import type { PhaseUpdate } from '@rock/runtime';

/**
 * Mirrors a create's phase progress into the record's `status` map, only while the record is
 * still `pending`. Every write carries the whole map, so updates coalesce: at most one write is in
 * flight, and the changes made meanwhile go out together as the next one (the latest map wins, an
 * older one never lands after it). A warm create reports its nine phase changes within a few ms;
 * under a burst they reach Redis as one or two writes instead of nine. Finished phases feed the
 * startup-phase histogram.
 */
export class PhaseTracker {
  private writing: Promise<void> | null = null;
  private dirty = false;

  constructor(
    private readonly sandboxId: string,
    private phases: Phases,
    private readonly registry: SandboxRegistry,
    private readonly metrics: RockMetrics,
    private readonly onError: (error: unknown) => void,
  ) {}

  get current(): Phases {
    return this.phases;
  }

  /** Applies one phase change; never throws (registry failures go to `onError`). */
  set(phase: StartPhase, status: PhaseUpdate['status'], message = '', atMs = Date.now()): void {
    this.phases = withPhase(this.phases, phase, status, message, atMs);
    if (status !== 'running') this.observe(phase, status);
    this.dirty = true;
    this.writing ??= this.drain();
  }

  /** Resolves once the latest map reached Redis (or its write failed and was reported). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /**
   * Drops changes not yet sent and waits for the write in flight: for a caller whose next write
   * (the final transition) carries {@link current} itself.
   */
  async settle(): Promise<void> {
    this.dirty = false;
    await this.flush();
  }

  private async drain(): Promise<void> {
    // Let the changes the runtime reports in the same tick join the first write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.dirty) {
      this.dirty = false;
      try {
        await this.registry.patchFields(this.sandboxId, { status: this.phases }, ['pending']);
      } catch (error) {
        this.onError(error);
      }
    }
    this.writing = null;
  }

  private observe(phase: StartPhase, status: PhaseUpdate['status']): void {
    const { started_at, completed_at } = this.phases[phase];
    if (!started_at || !completed_at) return;
    const seconds = Math.max(0, (Date.parse(completed_at) - Date.parse(started_at)) / 1000);
    this.metrics.observeStartupPhase(phase, status === 'success' ? 'success' : status === 'timeout' ? 'timeout' : 'failure', seconds);
  }
}
