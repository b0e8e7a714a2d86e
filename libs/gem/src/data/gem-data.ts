import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ResultCode, RockError } from '@rock/contracts';
import type { EnvContext } from '../core/env';

/**
 * Run-time data files of the word games (../shared/gem-data/README.md). They are never vendored:
 * the serving layer points `EnvContext.dataDir` at a directory laid out like NLTK's data dir.
 */

/** The configuration variable the serving layer reads `EnvContext.dataDir` from. */
export const GEM_DATA_DIR_VARIABLE = 'ROCK_GEM_DATA_DIR';

/** Data-dir-relative paths of every file the word games read. */
export const GEM_DATA_FILES = {
  en: 'corpora/words/en',
  enBasic: 'corpora/words/en-basic',
  crosswords: 'crosswords/words_clues.jsonl',
} as const;

export type NltkWordListId = 'en' | 'en-basic';

/**
 * A data file a word game needs is missing or unreadable (kind `gem_data_missing`): a deployment
 * problem, so 5000 / HTTP 500. `make`/`reset` throw it; the message names the file and
 * {@link GEM_DATA_DIR_VARIABLE}.
 */
export class GemDataError extends RockError {
  constructor(
    /** Data-dir-relative path of the missing file (`corpora/words/en-basic`). */
    readonly file: string,
    message: string,
  ) {
    super('gem_data_missing', ResultCode.Internal, 500, message);
  }
}

/** A data file is present but not in the documented shape (kind `gem_data_invalid`). */
export class GemDataFormatError extends RockError {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super('gem_data_invalid', ResultCode.Internal, 500, message);
  }
}

/** Absolute path of `relative` inside the configured data dir; throws `GemDataError` when absent. */
export function resolveGemDataFile(ctx: EnvContext, relative: string): string {
  const dir = ctx.dataDir;
  if (typeof dir !== 'string' || dir.trim() === '') {
    throw new GemDataError(
      relative,
      `GEM data file ${relative} is needed but no data directory is configured: set ${GEM_DATA_DIR_VARIABLE} ` +
        `to a directory containing ${relative} (see gem-data/README.md)`,
    );
  }
  const full = join(isAbsolute(dir) ? dir : resolve(dir), relative);
  if (!existsSync(full)) {
    throw new GemDataError(
      relative,
      `GEM data file ${relative} not found at ${full}: ${GEM_DATA_DIR_VARIABLE}=${dir} must contain ${relative} ` +
        `(see gem-data/README.md)`,
    );
  }
  return full;
}

/** One per process and file: the parsed contents, keyed by absolute path. */
const cache = new Map<string, unknown>();

/** Reads and parses a data file once per process (keyed by its absolute path). */
export function cachedGemData<T>(ctx: EnvContext, relative: string, parse: (text: string, file: string) => T): T {
  const full = resolveGemDataFile(ctx, relative);
  const hit = cache.get(full);
  if (hit !== undefined) return hit as T;
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (err) {
    throw new GemDataError(relative, `GEM data file ${relative} at ${full} cannot be read: ${(err as Error).message}`);
  }
  const parsed = parse(text, relative);
  cache.set(full, parsed);
  return parsed;
}

/** Python `str.splitlines()` separators (control characters on purpose). */
// eslint-disable-next-line no-control-regex
const PY_LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;
/** Any `splitlines()` separator other than a bare `\n`. */
// eslint-disable-next-line no-control-regex
const PY_OTHER_LINE_BREAK = /[\r\v\f\x1c-\x1e\x85\u2028\u2029]/;
/** Python `str.isspace()` characters (Unicode 14, as CPython 3.11). */
// eslint-disable-next-line no-control-regex
const PY_ONLY_SPACE = /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

/** NLTK `words.words(id)`: the file's lines in order, blank (whitespace-only) lines dropped. */
export function parseNltkWordList(text: string): string[] {
  const lines = PY_OTHER_LINE_BREAK.test(text) ? text.split(PY_LINE_BREAK) : text.split('\n');
  // Fast path: a line starting with a printable ASCII character is never blank.
  return lines.filter((line) => (line.charCodeAt(0) > 0x20 && line.charCodeAt(0) < 0x7f) || !PY_ONLY_SPACE.test(line));
}

/** The NLTK `words` corpus list `en` (235,886 entries) or `en-basic` (850), cached per process. */
export function loadNltkWords(ctx: EnvContext, id: NltkWordListId): readonly string[] {
  const relative = id === 'en' ? GEM_DATA_FILES.en : GEM_DATA_FILES.enBasic;
  return cachedGemData(ctx, relative, (text) => Object.freeze(parseNltkWordList(text)));
}

/**
 * The data files absent from `dataDir` (data-dir-relative, `[]` when complete), so a service can
 * report every missing file at boot instead of failing on the first word-game `make`.
 */
export function missingGemDataFiles(dataDir: string): string[] {
  return Object.values(GEM_DATA_FILES).filter((relative) => !existsSync(join(resolve(dataDir), relative)));
}

const candidateCache = new WeakMap<readonly string[], Map<number, readonly string[]>>();

/**
 * Words of `length` that are all ASCII-lower-case letters, in file order (`isalpha() and islower()`
 * on the ASCII NLTK lists), memoised per list and length.
 */
export function candidateWords(words: readonly string[], length: number): readonly string[] {
  let byLength = candidateCache.get(words);
  if (byLength === undefined) {
    byLength = new Map();
    candidateCache.set(words, byLength);
  }
  const hit = byLength.get(length);
  if (hit !== undefined) return hit;
  const found = words.filter((w) => w.length === length && /^[a-z]+$/.test(w));
  if (found.length === 0) throw new RangeError(`word_length: no lower-case word in the list has ${length} letters`);
  byLength.set(length, Object.freeze(found));
  return found;
}
