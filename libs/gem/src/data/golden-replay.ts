import { readFileSync } from 'node:fs';
import type { Env, EnvRegistration, Info } from '../core/env';

/**
 * Replays GEM golden transcripts (../shared/gem-golden/README.md) against this port and reports
 * every difference as one line; used by the word-game specs.
 */

/** One recorded `step` result. */
export interface GoldenStep {
  observation: string;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

/** One transcript line (`<Family>.jsonl`) or reset-sweep line (`resets/<id>.jsonl`, no actions). */
export interface GoldenRecord {
  env_id: string;
  seed: number;
  actions?: string[];
  reset: { observation: string; info: Info };
  steps?: GoldenStep[];
}

/** Parses a golden JSONL file. */
export function readGoldenFile(path: string): GoldenRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as GoldenRecord);
}

function sameInfo(a: Info, b: Info): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

function firstDiff(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at char ${i}: got ${JSON.stringify(a.slice(i, i + 60))}, want ${JSON.stringify(b.slice(i, i + 60))}`;
}

function compareStep(label: string, got: GoldenStep, want: GoldenStep): string[] {
  const out: string[] = [];
  if (got.observation !== want.observation) out.push(`${label} observation ${firstDiff(got.observation, want.observation)}`);
  if (Math.abs(got.reward - want.reward) > 1e-9) out.push(`${label} reward ${got.reward} != ${want.reward}`);
  if (got.terminated !== want.terminated) out.push(`${label} terminated ${got.terminated} != ${want.terminated}`);
  if (got.truncated !== want.truncated) out.push(`${label} truncated ${got.truncated} != ${want.truncated}`);
  if (!sameInfo(got.info, want.info)) {
    const g = String(got.info.suffix);
    const w = String(want.info.suffix);
    out.push(`${label} info ${g === w ? 'keys differ' : firstDiff(g, w)}`);
  }
  return out;
}

/** `make(id)` over `registrations`, as the registry does: defaults merged under no kwargs. */
export function makeFrom(registrations: readonly EnvRegistration[], id: string, dataDir: string): Env {
  const reg = registrations.find((r) => r.id === id);
  if (reg === undefined) throw new Error(`Environment ${id} not found in registry.`);
  const env = reg.create({ ...reg.kwargs }, { dataDir });
  env.envId = id;
  return env;
}

/** Replays one record on `env` (reset with its seed, then every action); returns the differences. */
export function replayRecord(env: Env, record: GoldenRecord): string[] {
  const tag = `${record.env_id} seed=${record.seed}`;
  const [obs, info] = env.reset(record.seed);
  const problems = compareStep(`${tag} reset`, { observation: obs, info, reward: 0, terminated: false, truncated: false }, {
    ...record.reset,
    reward: 0,
    terminated: false,
    truncated: false,
  });
  (record.actions ?? []).forEach((action, i) => {
    const [o, reward, terminated, truncated, stepInfo] = env.step(action);
    const want = (record.steps ?? [])[i];
    problems.push(...compareStep(`${tag} step ${i}`, { observation: o, reward, terminated, truncated, info: stepInfo }, want));
  });
  return problems;
}
