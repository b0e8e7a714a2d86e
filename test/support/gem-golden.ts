/**
 * GEM golden transcripts (../shared/gem-golden, see its README) and the replay/compare helpers
 * every game family's parity spec uses. Missing data is a loud error, never a skip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { REPO_ROOT } from './repo';

/** What `reset`/`step` return, structurally (any GEM env from `@rock/gem` fits). */
export interface GoldenEnv {
  reset(seed?: number | null): [string, Record<string, unknown>];
  step(action: string): [string, number, boolean, boolean, Record<string, unknown>];
}

export interface GoldenResetResult {
  observation: string;
  info: Record<string, unknown>;
}

export interface GoldenStep extends GoldenResetResult {
  reward: number;
  terminated: boolean;
  truncated: boolean;
}

export interface GoldenEpisode {
  env_id: string;
  seed: number;
  scenario: string;
  actions: string[];
  reset: GoldenResetResult;
  steps: GoldenStep[];
}

export interface GoldenReset {
  env_id: string;
  seed: number;
  reset: GoldenResetResult;
}

const REWARD_TOLERANCE = 1e-9;

function requireDir(envName: string, fallback: string, what: string): string {
  const dir = process.env[envName] ? resolve(process.env[envName] as string) : resolve(REPO_ROOT, fallback);
  if (!existsSync(dir)) {
    throw new Error(`${what} not found at ${dir}. Put the shared folder beside the repo (${fallback}) or set ${envName}.`);
  }
  return dir;
}

/** The golden transcript folder: `../shared/gem-golden`, or `ROCK_GEM_GOLDEN_DIR`. Throws when missing. */
export function gemGoldenDir(): string {
  return requireDir('ROCK_GEM_GOLDEN_DIR', '../shared/gem-golden', 'GEM golden transcripts');
}

/** The word-list data folder: `../shared/gem-data`, or `ROCK_GEM_DATA_DIR`. Throws when missing. */
export function gemDataDir(): string {
  return requireDir('ROCK_GEM_DATA_DIR', '../shared/gem-data', 'GEM data directory');
}

const cache = new Map<string, unknown[]>();

function readJsonl<T>(file: string): T[] {
  const hit = cache.get(file);
  if (hit) return hit as T[];
  if (!existsSync(file)) throw new Error(`gem-golden: missing file ${file}`);
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
  if (rows.length === 0) throw new Error(`gem-golden: ${file} holds no records`);
  cache.set(file, rows);
  return rows;
}

/** Every episode of a family (`'Sokoban'`, `'TowerofHanoi'`, …), in file order. */
export function episodesFor(family: string): GoldenEpisode[] {
  return readJsonl<GoldenEpisode>(join(gemGoldenDir(), `${family}.jsonl`));
}

/** The reset sweep of one env id (`'game:Sokoban-v0-easy'` or `'Sokoban-v0-easy'`). */
export function resetsFor(envId: string): GoldenReset[] {
  return readJsonl<GoldenReset>(join(gemGoldenDir(), 'resets', `${envId.replace(/^game:/, '')}.jsonl`));
}

/** Every env id that has a reset sweep for this family, e.g. `['game:Sokoban-v0-easy', …]`. */
export function sweepIdsFor(family: string): string[] {
  const ids = new Set(episodesFor(family).map((e) => e.env_id));
  return [...ids].filter((id) => existsSync(join(gemGoldenDir(), 'resets', `${id.replace(/^game:/, '')}.jsonl`)));
}

/** Where two strings first differ, with a little context on both sides (JSON-escaped). */
export function describeStringDiff(expected: string, actual: string): string {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const from = Math.max(0, i - 30);
  const show = (s: string): string => JSON.stringify(s.slice(from, i + 40));
  return (
    `first difference at char ${i} (expected length ${expected.length}, actual ${actual.length})\n` +
    `      expected: …${show(expected)}\n        actual: …${show(actual)}`
  );
}

function compareInfo(expected: Record<string, unknown>, actual: unknown): string | null {
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return `info is not an object: ${JSON.stringify(actual)}`;
  const got = actual as Record<string, unknown>;
  const wantKeys = Object.keys(expected).sort();
  const gotKeys = Object.keys(got).sort();
  if (!isDeepStrictEqual(wantKeys, gotKeys)) return `info keys differ: expected [${wantKeys}] got [${gotKeys}]`;
  for (const key of wantKeys) {
    const want = expected[key];
    const have = got[key];
    if (typeof want === 'string' && typeof have === 'string') {
      if (want !== have) return `info.${key}: ${describeStringDiff(want, have)}`;
    } else if (!isDeepStrictEqual(want, have)) {
      return `info.${key}: expected ${JSON.stringify(want)} got ${JSON.stringify(have)}`;
    }
  }
  return null;
}

function compareResult(expected: GoldenResetResult, observation: unknown, info: unknown): string | null {
  if (typeof observation !== 'string') return `observation is not a string: ${JSON.stringify(observation)}`;
  if (observation !== expected.observation) return `observation: ${describeStringDiff(expected.observation, observation)}`;
  return compareInfo(expected.info, info);
}

function compareStep(expected: GoldenStep, actual: unknown[]): string | null {
  const [observation, reward, terminated, truncated, info] = actual;
  const base = compareResult(expected, observation, info);
  if (base) return base;
  if (typeof reward !== 'number' || !(Math.abs(reward - expected.reward) <= REWARD_TOLERANCE)) {
    return `reward: expected ${expected.reward} got ${String(reward)}`;
  }
  if (terminated !== expected.terminated) return `terminated: expected ${expected.terminated} got ${String(terminated)}`;
  if (truncated !== expected.truncated) return `truncated: expected ${expected.truncated} got ${String(truncated)}`;
  return null;
}

/** Builds a fresh env for an id (e.g. `(id) => make(id)` from `@rock/gem`). */
export type GoldenEnvFactory = (envId: string) => GoldenEnv;

function where(record: { env_id: string; seed: number }, at: string): string {
  return `${record.env_id} seed=${record.seed} ${at}`;
}

/** Replays one transcript on a fresh env. Returns null on exact parity, else a precise diff message. */
export function replayEpisode(make: GoldenEnvFactory, episode: GoldenEpisode): string | null {
  const label = `${episode.env_id} seed=${episode.seed} [${episode.scenario}]`;
  try {
    const env = make(episode.env_id);
    const [obs, info] = env.reset(episode.seed);
    const resetDiff = compareResult(episode.reset, obs, info);
    if (resetDiff) return `${label} reset: ${resetDiff}`;
    for (let i = 0; i < episode.actions.length; i++) {
      const diff = compareStep(episode.steps[i], env.step(episode.actions[i]));
      if (diff) return `${label} step ${i} action=${JSON.stringify(episode.actions[i]).slice(0, 120)}: ${diff}`;
    }
  } catch (err) {
    return `${label} threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  }
  return null;
}

/** Checks one reset-sweep line on a fresh env. Returns null on exact parity, else a diff message. */
export function checkReset(make: GoldenEnvFactory, record: GoldenReset): string | null {
  try {
    const [obs, info] = make(record.env_id).reset(record.seed);
    const diff = compareResult(record.reset, obs, info);
    return diff ? `${where(record, 'reset')}: ${diff}` : null;
  } catch (err) {
    return `${where(record, 'reset')} threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  }
}

/** Replays every episode and every sweep line of a family; returns all diff messages (empty = parity). */
export function familyParityFailures(make: GoldenEnvFactory, family: string): string[] {
  const failures: string[] = [];
  for (const episode of episodesFor(family)) {
    const diff = replayEpisode(make, episode);
    if (diff) failures.push(diff);
  }
  for (const id of sweepIdsFor(family)) {
    for (const record of resetsFor(id)) {
      const diff = checkReset(make, record);
      if (diff) failures.push(diff);
    }
  }
  return failures;
}

/** An env reached asynchronously (e.g. a rocklet over HTTP): same shapes as {@link GoldenEnv}. */
export interface AsyncGoldenEnv {
  /** Makes a fresh env for the id (replacing any previous one). */
  make(envId: string): Promise<void>;
  reset(seed: number): Promise<{ observation: unknown; info: unknown }>;
  step(action: string): Promise<{ observation: unknown; reward: unknown; terminated: unknown; truncated: unknown; info: unknown }>;
}

/** {@link replayEpisode} for an {@link AsyncGoldenEnv}: null on exact parity, else a precise diff. */
export async function replayEpisodeAsync(env: AsyncGoldenEnv, episode: GoldenEpisode): Promise<string | null> {
  const label = `${episode.env_id} seed=${episode.seed} [${episode.scenario}]`;
  try {
    await env.make(episode.env_id);
    const reset = await env.reset(episode.seed);
    const resetDiff = compareResult(episode.reset, reset.observation, reset.info);
    if (resetDiff) return `${label} reset: ${resetDiff}`;
    for (let i = 0; i < episode.actions.length; i++) {
      const s = await env.step(episode.actions[i]);
      const diff = compareStep(episode.steps[i], [s.observation, s.reward, s.terminated, s.truncated, s.info]);
      if (diff) return `${label} step ${i} action=${JSON.stringify(episode.actions[i]).slice(0, 120)}: ${diff}`;
    }
  } catch (err) {
    return `${label} threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  }
  return null;
}

/** {@link checkReset} for an {@link AsyncGoldenEnv} (fresh make, then reset(seed)). */
export async function checkResetAsync(env: AsyncGoldenEnv, record: GoldenReset): Promise<string | null> {
  try {
    await env.make(record.env_id);
    const { observation, info } = await env.reset(record.seed);
    const diff = compareResult(record.reset, observation, info);
    return diff ? `${where(record, 'reset')}: ${diff}` : null;
  } catch (err) {
    return `${where(record, 'reset')} threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  }
}

/**
 * Registers the jest tests every game family's parity spec shares: the golden set covers exactly
 * `ids` (transcripts and reset sweeps), every transcript replays exactly, every sweep reproduces
 * every level. Call it at the top level of a `*.spec.ts`.
 */
export function describeGoldenParity(family: string, ids: readonly string[], make: GoldenEnvFactory, minSweepSeeds = 50): void {
  const episodes = episodesFor(family);
  describe(`${family} parity with GEM (gem-golden)`, () => {
    it('covers every variant with transcripts and reset sweeps', () => {
      expect(new Set(episodes.map((e) => e.env_id))).toEqual(new Set(ids));
      expect(sweepIdsFor(family).sort()).toEqual([...ids].sort());
    });

    it.each(episodes.map((e) => [e.env_id, e.seed, e.scenario, e] as const))('%s seed=%i (%s)', (_id, _seed, _s, episode) => {
      expect(replayEpisode(make, episode)).toBeNull();
    });

    it.each(sweepIdsFor(family))('reset sweep %s', (envId) => {
      const records = resetsFor(envId);
      expect(records.length).toBeGreaterThanOrEqual(minSweepSeeds);
      expect(records.map((r) => checkReset(make, r)).filter((d) => d !== null)).toEqual([]);
    });
  });
}

/** A transcript made by running GEM's own code on CPython with non-default kwargs (a family's `__fixtures__`). */
export interface KwargsEpisode extends GoldenEpisode {
  kwargs: Record<string, unknown>;
  /** What an unseeded `reset()` returned right after the episode (the RNG stream continues). */
  reset_after: GoldenResetResult;
}

/**
 * Registers replays of CPython-run GEM transcripts (JSON lines at `fixtureFile`) for what the golden
 * set leaves out: non-default kwargs, other seeds, Unicode edge cases, and the unseeded `reset()`
 * that continues the stream after the episode.
 */
export function describeCpythonKwargsParity(family: string, fixtureFile: string, make: (envId: string, kwargs: Record<string, unknown>) => GoldenEnv): void {
  const episodes = readFileSync(fixtureFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as KwargsEpisode);
  describe(`${family} parity with CPython-run GEM code beyond the golden set`, () => {
    it.each(episodes.map((e) => [e.env_id, JSON.stringify(e.kwargs), e.seed, e] as const))('%s %s seed=%i', (_id, _kwargs, _seed, episode) => {
      let env: GoldenEnv | undefined;
      expect(replayEpisode((id) => (env = make(id, episode.kwargs)), { ...episode, scenario: 'kwargs' })).toBeNull();
      expect(env?.reset()).toEqual([episode.reset_after.observation, episode.reset_after.info]);
    });
  });
}
