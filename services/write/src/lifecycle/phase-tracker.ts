import { withPhase, type Phases, type StartPhase } from '@rock/contracts';
import type { RockMetrics } from '@rock/observability';
import type { SandboxRegistry } from '@rock/registry';
import type { PhaseUpdate } from '@rock/runtime';

/**
 * Mirrors a create's phase progress into the record's `status` map. Updates are applied in order
 * through one promise chain (the runtime reports them synchronously, the registry is async), and
 * only while the record is still `pending`. Finished phases feed the startup-phase histogram.
 */
export class PhaseTracker {
  private chain: Promise<unknown> = Promise.resolve();

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
    const snapshot = this.phases;
    this.chain = this.chain
      .then(() => this.registry.patch(this.sandboxId, { status: snapshot }, ['pending']))
      .catch(this.onError);
  }

  /** Resolves once every queued update reached Redis. */
  async flush(): Promise<void> {
    await this.chain;
  }

  private observe(phase: StartPhase, status: PhaseUpdate['status']): void {
    const { started_at, completed_at } = this.phases[phase];
    if (!started_at || !completed_at) return;
    const seconds = Math.max(0, (Date.parse(completed_at) - Date.parse(started_at)) / 1000);
    this.metrics.observeStartupPhase(phase, status === 'success' ? 'success' : status === 'timeout' ? 'timeout' : 'failure', seconds);
  }
}
