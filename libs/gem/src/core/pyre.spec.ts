import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastMatch, pyRegex } from './pyre';

interface ReCase {
  pattern: string;
  ignoreCase: boolean;
  text: string;
  count: number;
  last: (string | null)[] | null;
}

/** re.finditer results from CPython 3.11 for GEM's action regexes over tricky inputs. */
const { cases } = JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'cpython-re.json'), 'utf8')) as { cases: ReCase[] };

describe('pyRegex reproduces CPython re.finditer', () => {
  it.each(cases.map((c) => [c.pattern, c.ignoreCase, JSON.stringify(c.text), c] as const))(
    '%s (ignoreCase=%s) over %s',
    (_p, _i, _t, c) => {
      const regex = pyRegex(c.pattern, { ignoreCase: c.ignoreCase });
      expect([...c.text.matchAll(regex)].length).toBe(c.count);
      const m = lastMatch(regex, c.text);
      expect(m === null ? null : Array.from(m, (g) => g ?? null)).toEqual(c.last);
    },
  );
});

describe('pyRegex specifics', () => {
  it('keeps the literal brace of \\boxed{ and the last match wins', () => {
    const m = lastMatch(pyRegex(String.raw`\\boxed{(\d+)}`), String.raw`\boxed{1} text \boxed{23}`);
    expect(m?.[1]).toBe('23');
  });

  it('ASCII-letter classes under ignoreCase also match ſ ı İ and the Kelvin sign, as Python does', () => {
    const re = pyRegex(String.raw`^[a-zA-Z]$`, { ignoreCase: true });
    expect(['\u017f', '\u0131', '\u0130', '\u212a', 'q'].map((ch) => lastMatch(re, ch) !== null)).toEqual([true, true, true, true, true]);
    expect(lastMatch(re, 'é')).toBeNull();
    expect(lastMatch(pyRegex('^right$', { ignoreCase: true }), 'r\u0131ght')?.[0]).toBe('r\u0131ght');
  });

  it('Python \\s includes \\x1c-\\x1f and \\x85 but not U+FEFF; \\d covers astral digits', () => {
    const ws = pyRegex(String.raw`^\s$`);
    expect(['\x1c', '\x1f', '\x85', '\u3000', '\ufeff', '\u200b'].map((c) => lastMatch(ws, c) !== null)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(lastMatch(pyRegex(String.raw`^\d+$`), '\u{1d7d0}\u{1d7cf}')).not.toBeNull();
  });

  it('reads braces like sre_parse: {} and {a} are literal, {,} and {,2} are quantifiers', () => {
    // CPython 3.11: finditer over the same inputs gives aaab / a{}b / aab / x{a}.
    const all = (p: string, t: string): string[] => [...t.matchAll(pyRegex(p))].map((m) => m[0]);
    expect(all('a{,}b', 'aaab')).toEqual(['aaab']);
    expect(all('a{}b', 'a{}b')).toEqual(['a{}b']);
    expect(all('a{,2}b', 'aab')).toEqual(['aab']);
    expect(all('x{a}', 'x{a}')).toEqual(['x{a}']);
  });

  it('refuses constructs whose Python meaning it would not reproduce', () => {
    expect(() => pyRegex(String.raw`\w+`)).toThrow('not supported');
    expect(() => pyRegex(String.raw`\bx`)).toThrow('not supported');
    expect(() => pyRegex('é', { ignoreCase: true })).toThrow('not supported');
    expect(() => lastMatch(/x/, 'x')).toThrow('global');
  });
});
