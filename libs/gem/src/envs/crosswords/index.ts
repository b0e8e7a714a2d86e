import { parseOrThrow } from '@rock/contracts';
import { z } from 'zod';
import type { EnvContext, EnvRegistration } from '../../core/env';
import { CrosswordsEnv } from './crosswords.env';
import { loadWordClues, wordCluesFor } from './word-clues';

export { CrosswordsEnv, parseCrosswordsMove } from './crosswords.env';
export { placeWords, type Placement } from './word-grid';

/** Constructor kwargs (GEM `CrosswordsEnv`); any `null` selects the random variant. Unknown keys are ignored. */
const crosswordsKwargs = z.object({
  hardcore: z.boolean().nullable().default(false),
  max_turns: z.number().int().min(1).nullable().default(100),
  num_words: z.number().int().min(1).max(100).nullable().default(5),
});

/**
 * Loads the records in the constructor like GEM does for the fixed variants, so a missing data file
 * fails `make`. Deliberate fix: GEM's `-random` crashes in `make()` (it filters the records by
 * `hardcore=None`); here it works, filtering by the flag each reset draws.
 */
function create(raw: Record<string, unknown>, ctx: EnvContext): CrosswordsEnv {
  const options = parseOrThrow(crosswordsKwargs, raw);
  const all = loadWordClues(ctx);
  return new CrosswordsEnv(
    { hardcore: options.hardcore, maxTurns: options.max_turns, numWords: options.num_words },
    (hardcore) => wordCluesFor(all, hardcore),
  );
}

/** GEM's Crosswords registry entries, in GEM's order (GEM.md §1.6). */
export const registrations: EnvRegistration[] = [
  { id: 'game:Crosswords-v0-easy', kwargs: { hardcore: false, max_turns: 30, num_words: 3 }, create },
  { id: 'game:Crosswords-v0-hard', kwargs: { hardcore: true, max_turns: 40, num_words: 3 }, create },
  { id: 'game:Crosswords-v0-random', kwargs: { hardcore: null, max_turns: null, num_words: null }, create },
];
