/**
 * The lifecycle queue's job names and payloads. Job ids are deterministic (STYLE §6):
 * `create:<id>:<incarnation>` and `destroy:<id>:<incarnation>`, where the incarnation is the
 * record's `create_ms`. BullMQ refuses ids with exactly one `:`, and the incarnation keeps a
 * sandbox id reused after a stop from colliding with its predecessor's jobs, while duplicate
 * destroys of one incarnation (API, reaper, reconciler) still collapse into one job.
 */
export const LIFECYCLE_JOB_NAMES = ['create', 'destroy', 'reap', 'reconcile'] as const;
export type LifecycleJobName = (typeof LIFECYCLE_JOB_NAMES)[number];

/** Why a sandbox is destroyed; becomes the `state_history` event and a metric label. */
export type DestroyReason = 'stop' | 'delete' | 'idle' | 'gem_close' | 'startup_timeout';

export interface CreateJobData {
  sandboxId: string;
  incarnation: number;
}

export interface DestroyJobData {
  sandboxId: string;
  incarnation: number;
  reason: DestroyReason;
}

export function createJobId(sandboxId: string, incarnation: number): string {
  return `create:${sandboxId}:${incarnation}`;
}

export function destroyJobId(sandboxId: string, incarnation: number): string {
  return `destroy:${sandboxId}:${incarnation}`;
}

/** Scheduler ids: one per schedule, so every replica's upsert converges on one tick source. */
export const REAPER_SCHEDULER_ID = 'rock-reaper';
export const RECONCILER_SCHEDULER_ID = 'rock-reconciler';

/** The name → handler table; throws when a job name has no handler or two (STYLE: fail at boot). */
export function handlerTable<H>(entries: [LifecycleJobName, H][]): ReadonlyMap<LifecycleJobName, H> {
  const table = new Map<LifecycleJobName, H>();
  for (const [name, handler] of entries) {
    if (table.has(name)) throw new Error(`lifecycle job "${name}" has two handlers`);
    table.set(name, handler);
  }
  const missing = LIFECYCLE_JOB_NAMES.filter((name) => !table.has(name));
  if (missing.length > 0) throw new Error(`lifecycle jobs without a handler: ${missing.join(', ')}`);
  return table;
}
