import { initialPhases, type Phases } from '@rock/contracts';
import type { RockMetrics } from '@rock/observability';
import type { RecordPatch, SandboxRegistry } from '@rock/registry';
import { PhaseTracker } from './phase-tracker';

function fakes(failFirst = false) {
  const patches: { status: Phases; onlyIn: readonly string[] }[] = [];
  const observed: [string, string, number][] = [];
  let calls = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const registry = {
    patchFields: async (_id: string, patch: RecordPatch, onlyIn: readonly string[]) => {
      calls += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const status = patch.status as Phases;
      await new Promise((r) => setImmediate(r));
      inFlight -= 1;
      if (failFirst && calls === 1) throw new Error('redis down');
      patches.push({ status, onlyIn });
      return true;
    },
  } as unknown as SandboxRegistry;
  const metrics = { observeStartupPhase: (p: string, o: string, s: number) => observed.push([p, o, s]) } as unknown as RockMetrics;
  return { registry, metrics, patches, observed, maxInFlight: () => maxInFlight };
}

const statuses = (p: { status: Phases }) => [p.status.image_pull.status, p.status.container_create.status];

describe('PhaseTracker', () => {
  it('coalesces changes of one tick into one write, only to pending records, and times finished phases', async () => {
    const f = fakes();
    const tracker = new PhaseTracker('sbx', initialPhases(), f.registry, f.metrics, () => undefined);
    tracker.set('image_pull', 'running', '', 1_000);
    tracker.set('image_pull', 'success', 'present locally', 1_250);
    tracker.set('container_create', 'failed', 'no space', 1_300);
    await tracker.flush();
    expect(f.patches.map(statuses)).toEqual([['success', 'failed']]);
    expect(f.patches.every((p) => p.onlyIn.join() === 'pending')).toBe(true);
    expect(tracker.current.container_create.message).toBe('no space');
    expect(f.observed).toEqual([
      ['image_pull', 'success', 0.25],
      ['container_create', 'failure', 0],
    ]);
  });

  it('keeps one write in flight; changes made meanwhile go out next, latest map last', async () => {
    const f = fakes();
    const tracker = new PhaseTracker('sbx', initialPhases(), f.registry, f.metrics, () => undefined);
    tracker.set('image_pull', 'running');
    await new Promise((r) => setImmediate(r)); // the first write is now in flight
    tracker.set('image_pull', 'success');
    tracker.set('container_create', 'running');
    await tracker.flush();
    expect(f.maxInFlight()).toBe(1);
    expect(f.patches.map(statuses)).toEqual([
      ['running', 'waiting'],
      ['success', 'running'],
    ]);
  });

  it('settle drops changes not yet sent (the final transition carries them) but waits for the write in flight', async () => {
    const f = fakes();
    const tracker = new PhaseTracker('sbx', initialPhases(), f.registry, f.metrics, () => undefined);
    tracker.set('image_pull', 'running');
    await new Promise((r) => setImmediate(r));
    tracker.set('image_pull', 'success');
    await tracker.settle();
    expect(f.patches.map(statuses)).toEqual([['running', 'waiting']]);
    expect(tracker.current.image_pull.status).toBe('success');
  });

  it('reports a failed write and keeps applying later updates', async () => {
    const f = fakes(true);
    const errors: unknown[] = [];
    const tracker = new PhaseTracker('sbx', initialPhases(), f.registry, f.metrics, (e) => errors.push(e));
    tracker.set('queued', 'success');
    await new Promise((r) => setImmediate(r));
    tracker.set('image_pull', 'running');
    await tracker.flush();
    expect(errors).toHaveLength(1);
    expect(f.patches).toHaveLength(1);
    expect(f.patches[0]?.status.queued.status).toBe('success');
    expect(f.patches[0]?.status.image_pull.status).toBe('running');
  });
});
