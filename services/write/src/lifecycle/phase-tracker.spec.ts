import { initialPhases, type Phases } from '@rock/contracts';
import type { RockMetrics } from '@rock/observability';
import type { RecordPatch, SandboxRegistry } from '@rock/registry';
import { PhaseTracker } from './phase-tracker';

function fakes(failFirst = false) {
  const patches: { status: Phases; onlyIn: readonly string[] }[] = [];
  const observed: [string, string, number][] = [];
  let calls = 0;
  const registry = {
    patch: async (_id: string, patch: RecordPatch, onlyIn: readonly string[]) => {
      calls += 1;
      await new Promise((r) => setImmediate(r));
      if (failFirst && calls === 1) throw new Error('redis down');
      patches.push({ status: patch.status as Phases, onlyIn });
      return { ok: true };
    },
  } as unknown as SandboxRegistry;
  const metrics = { observeStartupPhase: (p: string, o: string, s: number) => observed.push([p, o, s]) } as unknown as RockMetrics;
  return { registry, metrics, patches, observed };
}

describe('PhaseTracker', () => {
  it('applies updates in order, only to pending records, and times finished phases', async () => {
    const f = fakes();
    const tracker = new PhaseTracker('sbx', initialPhases(), f.registry, f.metrics, () => undefined);
    tracker.set('image_pull', 'running', '', 1_000);
    tracker.set('image_pull', 'success', 'present locally', 1_250);
    tracker.set('container_create', 'failed', 'no space', 1_300);
    await tracker.flush();
    expect(f.patches.map((p) => [p.status.image_pull.status, p.status.container_create.status])).toEqual([
      ['running', 'waiting'],
      ['success', 'waiting'],
      ['success', 'failed'],
    ]);
    expect(f.patches.every((p) => p.onlyIn.join() === 'pending')).toBe(true);
    expect(tracker.current.container_create.message).toBe('no space');
    expect(f.observed).toEqual([
      ['image_pull', 'success', 0.25],
      ['container_create', 'failure', 0],
    ]);
  });

  it('reports a failed write and keeps applying later updates', async () => {
    const f = fakes(true);
    const errors: unknown[] = [];
    const tracker = new PhaseTracker('sbx', initialPhases(), f.registry, f.metrics, (e) => errors.push(e));
    tracker.set('queued', 'success');
    tracker.set('image_pull', 'running');
    await tracker.flush();
    expect(errors).toHaveLength(1);
    expect(f.patches).toHaveLength(1);
    expect(f.patches[0]?.status.queued.status).toBe('success');
  });
});
