import { parseOrThrow } from '@rock/contracts';
import { z } from 'zod';
import type { EnvContext, EnvRegistration } from '../../core/env';
import { loadNltkWords } from '../../data/gem-data';
import { WordSearchEnv } from './word-search.env';

export { WordSearchEnv, parseWordSearchGuess } from './word-search.env';

/** Constructor kwargs (GEM `WordSearchEnv`); any `null` selects the random variant. Unknown keys are ignored. */
const wordSearchKwargs = z.object({
  hardcore: z.boolean().nullable().default(false),
  max_turns: z.number().int().min(1).nullable().default(20),
  num_words: z.number().int().min(1).max(100).nullable().default(5),
});

/** The word list is read at each reset like GEM's (`en` when hardcore, else `en-basic`), cached per process. */
function create(raw: Record<string, unknown>, ctx: EnvContext): WordSearchEnv {
  const options = parseOrThrow(wordSearchKwargs, raw);
  return new WordSearchEnv(
    { hardcore: options.hardcore, maxTurns: options.max_turns, numWords: options.num_words },
    (hardcore) => loadNltkWords(ctx, hardcore ? 'en' : 'en-basic'),
  );
}

/** GEM's WordSearch registry entries, in GEM's order (GEM.md §1.6). */
export const registrations: EnvRegistration[] = [
  { id: 'game:WordSearch-v0-easy', kwargs: { num_words: 5, max_turns: 20, hardcore: false }, create },
  { id: 'game:WordSearch-v0-hard', kwargs: { num_words: 5, max_turns: 20, hardcore: true }, create },
  { id: 'game:WordSearch-v0-random', kwargs: { num_words: null, max_turns: null, hardcore: null }, create },
];
