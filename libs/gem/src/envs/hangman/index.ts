import { parseOrThrow } from '@rock/contracts';
import { z } from 'zod';
import type { EnvRegistration } from '../../core/env';
import { loadNltkWords } from '../../data/gem-data';
import { HangmanEnv } from './hangman.env';

export { HangmanEnv, parseHangmanGuess } from './hangman.env';

/** Constructor kwargs (GEM `HangmanEnv`); `hardcore` draws from the full `en` list. Unknown keys are ignored. */
const hangmanKwargs = z.object({
  word_length: z.number().int().min(1).max(64).nullable().default(5),
  hardcore: z.boolean().nullable().default(false),
  max_turns: z.number().int().min(1).nullable().default(20),
});

function register(id: string, kwargs: Record<string, unknown>): EnvRegistration {
  return {
    id,
    kwargs,
    create(raw, ctx) {
      const options = parseOrThrow(hangmanKwargs, raw);
      const words = loadNltkWords(ctx, options.hardcore === true ? 'en' : 'en-basic');
      return new HangmanEnv({ wordLength: options.word_length, maxTurns: options.max_turns }, words);
    },
  };
}

/** GEM's Hangman registry entries, in GEM's order (GEM.md §1.6). */
export const registrations: EnvRegistration[] = [
  register('game:Hangman-v0-random', { word_length: null, hardcore: false, max_turns: null }),
  register('game:Hangman-v0-easy', { word_length: 3, hardcore: false, max_turns: 10 }),
  register('game:Hangman-v0-hard', { word_length: 7, hardcore: false, max_turns: 20 }),
];
