import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPySpace, pyDigitValue, pyInt, pyIntListRepr, pyLower, pySplit, pyStrip, pyStrListRepr, pyStrRepr, pyUpper } from './pystr';

/** Outputs of CPython 3.11 int()/strip()/split()/upper()/lower()/repr() on tricky inputs. */
const py = JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'cpython-str.json'), 'utf8')) as {
  int: [string, string | null][];
  strip: [string, string][];
  split: [string, string[]][];
  upper: [string, string][];
  lower: [string, string][];
  repr: [string, string][];
};
const label = (t: string): string => JSON.stringify(t);

describe('Python str semantics', () => {
  it.each(py.int.map(([t, v]) => [label(t), t, v]))('int(%s)', (_l, text, expected) => {
    const value = pyInt(text as string);
    expect(value === null ? null : value.toString()).toBe(expected);
  });
  it.each(py.strip.map(([t, v]) => [label(t), t, v]))('%s.strip()', (_l, text, expected) => {
    expect(pyStrip(text)).toBe(expected);
  });
  it.each(py.split.map(([t, v]) => [label(t), t, v] as const))('%s.split()', (_l, text, expected) => {
    expect(pySplit(text)).toEqual(expected);
  });
  it.each(py.upper.map(([t, v]) => [label(t), t, v]))('%s.upper()', (_l, text, expected) => {
    expect(pyUpper(text)).toBe(expected);
  });
  it.each(py.lower.map(([t, v]) => [label(t), t, v]))('%s.lower()', (_l, text, expected) => {
    expect(pyLower(text)).toBe(expected);
  });
  it.each(py.repr.map(([t, v]) => [label(t), t, v]))('repr(%s)', (_l, text, expected) => {
    expect(pyStrRepr(text)).toBe(expected);
  });

  it('keeps characters Python 3.11 does not case-map even where newer ICU would', () => {
    expect(pyUpper('\u019b')).toBe('\u019b');
    expect(pyLower('\ua7dc')).toBe('\ua7dc');
  });

  it('strips a given character set and formats lists like Python', () => {
    expect(pyStrip('xxhixyx', 'xy')).toBe('hi');
    expect(pyIntListRepr([1, 2n, 30])).toBe('[1, 2, 30]');
    expect(pyIntListRepr([])).toBe('[]');
    expect(pyStrListRepr(['G', 'X', 'Y'])).toBe("['G', 'X', 'Y']");
  });

  it('knows digit values and single whitespace characters', () => {
    expect(pyDigitValue(0xff15)).toBe(5);
    expect(pyDigitValue(0x1d7d0)).toBe(2);
    expect(pyDigitValue(0x2167)).toBe(-1);
    expect(pyDigitValue(0x2f)).toBe(-1);
    expect(isPySpace('\x85')).toBe(true);
    expect(isPySpace('\ufeff')).toBe(false);
    expect(isPySpace('  ')).toBe(false);
  });
});
