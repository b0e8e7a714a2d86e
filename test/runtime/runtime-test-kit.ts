/** Helpers shared by the runtime driver integration tests (test/runtime only). */
import { randomBytes } from 'node:crypto';
import { dockerForTests } from '@rock/testing';
import type { PhaseUpdate, RuntimeHandle, SandboxSpec } from '@rock/runtime';

/** A sandbox id unique to this run (valid per API.md: `[a-z0-9][a-z0-9-]{0,62}`). */
export function uniqueSandboxId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** A complete, valid spec with small limits; `overrides` win. */
export function testSpec(sandboxId: string, overrides: Partial<SandboxSpec> = {}): SandboxSpec {
  return {
    sandboxId,
    image: 'rock-test-busybox:latest',
    memoryBytes: 256 * 1024 * 1024,
    cpus: 0.5,
    pidsLimit: 256,
    env: {},
    pull: 'never',
    startupTimeoutMs: 20_000,
    rockletToken: `tok-${randomBytes(8).toString('hex')}`,
    ...overrides,
  };
}

/** Collects phase updates as `phase:status` strings. */
export function phaseLog(): { updates: PhaseUpdate[]; onPhase: (u: PhaseUpdate) => void; trail: () => string[] } {
  const updates: PhaseUpdate[] = [];
  return { updates, onPhase: (u) => updates.push(u), trail: () => updates.map((u) => `${u.phase}:${u.status}`) };
}

/** The {@link phaseLog} trail of a create that pulls, creates, starts and reaches a ready rocklet. */
export const FULL_CREATE_TRAIL: readonly string[] = Object.freeze([
  'image_pull:running',
  'image_pull:success',
  'container_create:running',
  'container_create:success',
  'container_start:running',
  'container_start:success',
  'rocklet_ready:running',
  'rocklet_ready:success',
]);

/** "phase 12 ms, …" from running → success/failed pairs, for logs. */
export function phaseDurations(updates: PhaseUpdate[]): string {
  const started = new Map<string, number>();
  const parts: string[] = [];
  for (const u of updates) {
    if (u.status === 'running') started.set(u.phase, u.at.getTime());
    else parts.push(`${u.phase} ${u.at.getTime() - (started.get(u.phase) ?? u.at.getTime())} ms`);
  }
  return parts.join(', ');
}

/** GET /is_alive through a handle, with a 2 s budget. */
export async function isAlive(handle: Pick<RuntimeHandle, 'rockletUrl'>): Promise<boolean> {
  try {
    const res = await fetch(`${handle.rockletUrl}/is_alive`, { signal: AbortSignal.timeout(2000) });
    return res.ok && ((await res.json()) as { is_alive: boolean }).is_alive === true;
  } catch {
    return false;
  }
}

/** POST /execute on the sandbox's rocklet with its token; returns HTTP status and body. */
export async function execute(
  handle: Pick<RuntimeHandle, 'rockletUrl'>,
  token: string,
  command: string[],
): Promise<{ status: number; body: { stdout?: string; stderr?: string; exit_code?: number } }> {
  const res = await fetch(`${handle.rockletUrl}/execute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ command, timeout: 10 }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as { stdout?: string } };
}

/** Force-removes every container carrying `label=value` (only ones this test run created). */
export async function removeLabelled(label: string, value: string): Promise<void> {
  const docker = dockerForTests();
  const containers = await docker.listContainers({ all: true, filters: { label: [`${label}=${value}`] } });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

/** Percentile (0..100) of `values`, nearest-rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
