/**
 * GEM parity THROUGH THE ROCKLET HTTP API: every golden transcript of ../shared/gem-golden and
 * every reset sweep in resets/ is replayed with make → reset(seed) → step(action) over HTTP on a
 * real rocklet process (one per family, re-made per episode), compared byte for byte.
 * Missing golden data fails loudly (the helpers throw).
 */
import { checkResetAsync, episodesFor, replayEpisodeAsync, resetsFor, sweepIdsFor } from '@rock/testing';
import { startGemRocklet } from './gem-rocklet';

const FAMILIES = [
  'GuessTheNumber',
  'Mastermind',
  'Minesweeper',
  'Wordle',
  'Hangman',
  'FifteenPuzzle',
  'Sudoku',
  'TowerofHanoi',
  'Game2048',
  'Sokoban',
  'Crosswords',
  'WordSearch',
];

jest.setTimeout(240_000);

describe('GEM golden parity over the rocklet HTTP API', () => {
  test.concurrent.each(FAMILIES)('%s: every transcript and every reset sweep line matches', async (family) => {
    const episodes = episodesFor(family);
    const sweeps = sweepIdsFor(family).flatMap((id) => resetsFor(id));
    const server = await startGemRocklet();
    const failures: string[] = [];
    const started = performance.now();
    try {
      for (const episode of episodes) {
        const diff = await replayEpisodeAsync(server.env, episode);
        if (diff) failures.push(diff);
      }
      for (const record of sweeps) {
        const diff = await checkResetAsync(server.env, record);
        if (diff) failures.push(diff);
      }
    } finally {
      await server.stop();
    }
    const steps = episodes.reduce((n, e) => n + e.actions.length, 0);
    process.stdout.write(
      `gem-http ${family}: ${episodes.length} episodes (${steps} steps), ${sweeps.length} resets in ${Math.round(performance.now() - started)} ms\n`,
    );
    expect(failures.slice(0, 5)).toEqual([]);
    expect(episodes.length).toBeGreaterThan(0);
    expect(sweeps.length).toBeGreaterThan(0);
  });
});
