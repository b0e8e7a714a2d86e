import { gemDataDir } from '@rock/testing';
import { EnvRegistry } from '../registry';
import { allRegistrations } from '.';

const registry = new EnvRegistry(allRegistrations);
const make = (id: string) => registry.make(id, {}, { dataDir: gemDataDir() });

describe('word games (Hangman, Wordle, Crosswords, WordSearch) before any seeded reset', () => {
  it.each(['game:Hangman-v0-random', 'game:Wordle-v0-random', 'game:Crosswords-v0-random', 'game:WordSearch-v0-random'])(
    '%s starts from seed 0: fresh envs repeat their unseeded episodes, which reset(0) then reset() replays',
    (id) => {
      const [a, b] = [make(id), make(id)];
      const unseeded = [a.reset(), a.reset()];
      expect([b.reset(), b.reset()]).toEqual(unseeded);
      const replayed = make(id);
      replayed.reset(0);
      expect(replayed.reset()).toEqual(unseeded[0]);
    },
  );
});
