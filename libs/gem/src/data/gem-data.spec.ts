import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gemDataDir } from '@rock/testing';
import { GemDataError, loadNltkWords, missingGemDataFiles, parseNltkWordList } from './gem-data';

describe('GEM data directory', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'rock-gem-data-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('splits lines like Python splitlines() and drops whitespace-only lines, as NLTK does', () => {
    expect(parseNltkWordList('a\r\nb\n\n  \n\x85c\u2028d\n\t\n')).toEqual(['a', 'b', 'c', 'd']);
    expect(parseNltkWordList('I\na\nable\n')).toEqual(['I', 'a', 'able']);
  });

  it('loads the real en (235,886) and en-basic (850) lists in file order', () => {
    const ctx = { dataDir: gemDataDir() };
    const basic = loadNltkWords(ctx, 'en-basic');
    expect(basic).toHaveLength(850);
    expect(basic.slice(0, 3)).toEqual(['I', 'a', 'able']);
    expect(loadNltkWords(ctx, 'en')).toHaveLength(235886);
    expect(loadNltkWords(ctx, 'en-basic')).toBe(basic);
  });

  it('reads a list once per process and path', () => {
    mkdirSync(join(scratch, 'corpora/words'), { recursive: true });
    writeFileSync(join(scratch, 'corpora/words/en-basic'), 'one\ntwo\n');
    const first = loadNltkWords({ dataDir: scratch }, 'en-basic');
    writeFileSync(join(scratch, 'corpora/words/en-basic'), 'changed\n');
    expect(loadNltkWords({ dataDir: scratch }, 'en-basic')).toBe(first);
    expect(first).toEqual(['one', 'two']);
  });

  it('names the missing file and ROCK_GEM_DATA_DIR, with a stable kind', () => {
    let caught: unknown;
    try {
      loadNltkWords({ dataDir: scratch }, 'en');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GemDataError);
    expect((caught as GemDataError).kind).toBe('gem_data_missing');
    expect((caught as GemDataError).file).toBe('corpora/words/en');
    expect((caught as GemDataError).message).toContain(`ROCK_GEM_DATA_DIR=${scratch} must contain corpora/words/en`);
    expect(() => loadNltkWords({}, 'en')).toThrow(/no data directory is configured: set ROCK_GEM_DATA_DIR/);
    // The config layer holds `null` for an unset variable; a caller passing it through still gets the clear error.
    const unset = { dataDir: null as unknown as string };
    expect(() => loadNltkWords(unset, 'en')).toThrow(/no data directory is configured: set ROCK_GEM_DATA_DIR/);
  });

  it('lists every missing file for a boot-time check', () => {
    expect(missingGemDataFiles(gemDataDir())).toEqual([]);
    expect(missingGemDataFiles(scratch)).toEqual(['corpora/words/en', 'corpora/words/en-basic', 'crosswords/words_clues.jsonl']);
  });
});
