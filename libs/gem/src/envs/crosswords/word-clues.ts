import type { EnvContext } from '../../core/env';
import { cachedGemData, GEM_DATA_FILES, GemDataFormatError } from '../../data/gem-data';

/** One `words_clues.jsonl` record, reduced to what the game uses. */
export interface WordClue {
  word: string;
  hardcore: boolean;
  /** The record's first clue in file order, trailing spaces kept. */
  clue: string;
}

/** Key of the first member of the `clues` object in file order (JSON.parse reorders integer-like keys). */
const FIRST_CLUE_KEY = /"clues"\s*:\s*\{\s*"((?:[^"\\]|\\.)*)"/;

function parseRecord(line: string, lineNo: number, file: string): WordClue {
  const fail = (why: string): never => {
    throw new GemDataFormatError(file, `${file} line ${lineNo}: ${why}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return fail('is not valid JSON');
  }
  const rec = raw as { word?: unknown; hardcore?: unknown; clues?: unknown };
  if (typeof rec.word !== 'string' || rec.word === '') return fail('word must be a non-empty string');
  if (typeof rec.hardcore !== 'boolean') return fail('hardcore must be a boolean');
  const keyMatch = FIRST_CLUE_KEY.exec(line);
  const clues = rec.clues as Record<string, unknown> | undefined;
  const key = keyMatch === null ? undefined : (JSON.parse(`"${keyMatch[1]}"`) as string);
  const clue = key === undefined || clues === undefined ? undefined : clues[key];
  if (typeof clue !== 'string') return fail('clues must be an object whose first value is a string');
  return { word: rec.word, hardcore: rec.hardcore, clue };
}

/** Parses `crosswords/words_clues.jsonl` (one JSON record per line, blank lines ignored). */
export function parseWordClues(text: string, file: string): readonly WordClue[] {
  const records: WordClue[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() !== '') records.push(parseRecord(line, i + 1, file));
  });
  return Object.freeze(records);
}

/** Every record of the configured data dir's `words_clues.jsonl`, in file order, cached per process. */
export function loadWordClues(ctx: EnvContext): readonly WordClue[] {
  return cachedGemData(ctx, GEM_DATA_FILES.crosswords, parseWordClues);
}

/** The records whose `hardcore` flag equals `hardcore`, in file order (GEM's DataFrame filter). */
export function wordCluesFor(all: readonly WordClue[], hardcore: boolean): readonly WordClue[] {
  const found = all.filter((r) => r.hardcore === hardcore);
  if (found.length === 0) {
    throw new GemDataFormatError(GEM_DATA_FILES.crosswords, `No words found matching hardcore=${hardcore ? 'True' : 'False'} criteria.`);
  }
  return found;
}
