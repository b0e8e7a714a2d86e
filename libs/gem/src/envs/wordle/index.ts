import { parseOrThrow } from '@rock/contracts';
import { z } from 'zod';
import type { EnvRegistration } from '../../core/env';
import { loadNltkWords } from '../../data/gem-data';
import { WordleEnv } from './wordle.env';

export { WordleEnv, parseWordleGuess, wordleFeedback } from './wordle.env';

/** Constructor kwargs (GEM `WordleEnv`); unknown keys are ignored like GEM's `**_`. */
const wordleKwargs = z.object({
  word_length: z.number().int().min(1).max(64).nullable().default(5),
  max_turns: z.number().int().min(1).nullable().default(20),
  only_real_words: z.boolean().nullable().optional(),
});

function register(id: string, kwargs: Record<string, unknown>): EnvRegistration {
  return {
    id,
    kwargs,
    create(raw, ctx) {
      const options = parseOrThrow(wordleKwargs, raw);
      const words = loadNltkWords(ctx, 'en-basic');
      return new WordleEnv({ wordLength: options.word_length, maxTurns: options.max_turns }, words);
    },
  };
}

/** GEM's Wordle registry entries, in GEM's order (GEM.md §1.6). */
export const registrations: EnvRegistration[] = [
  register('game:Wordle-v0-hard', { word_length: 5, only_real_words: true, max_turns: 25 }),
  register('game:Wordle-v0-easy', { word_length: 3, only_real_words: true, max_turns: 15 }),
  register('game:Wordle-v0-random', { word_length: null, only_real_words: true, max_turns: null }),
];
