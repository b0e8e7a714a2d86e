/**
 * Python `re` patterns compiled to equivalent JavaScript RegExps (GEM golden README quirks 4–7).
 *
 * Write the pattern exactly as GEM's Python source has it (a raw string), e.g.
 * `pyRegex(String.raw`\\boxed{(\d+)}`)`. The translation gives:
 *  - `\d` = Python's Unicode decimal digits (Python 3.11 tables), `\s` = Python's whitespace set;
 *  - `.` without `\n`, `$` also before a final `\n`, `{` literal where it is not a quantifier;
 *  - with `ignoreCase`, Python's simple case folding for ASCII letters: `s` also matches `ſ`,
 *    `k` the Kelvin sign, `i` both `ı` and `İ` (JavaScript's `/iu` misses the last two).
 * Unsupported constructs (`\w`, `\b`, backreferences, non-ASCII letters under ignoreCase) throw,
 * so a pattern never silently diverges.
 */
import { PY_DIGIT_CLASS_BODY, PY_SPACE_CLASS_BODY } from './pystr';

/** Extra characters Python's `re.IGNORECASE` matches for each ASCII letter. */
const CASE_EXTRAS: Record<string, string> = { i: '\\u{130}\\u{131}', s: '\\u{17f}', k: '\\u{212a}' };
/** Characters `u`-mode JavaScript lets you escape with a backslash outside a class. */
const SYNTAX_CHARS = '^$\\.*+?()[]{}|/';

export interface PyRegexOptions {
  /** Python `re.IGNORECASE`. */
  ignoreCase?: boolean;
}

/** Compiles a Python `re` pattern into a global, `u`-flag RegExp with Python's semantics. */
export function pyRegex(pattern: string, options: PyRegexOptions = {}): RegExp {
  return new RegExp(translatePyPattern(pattern, options.ignoreCase ?? false), 'gu');
}

/** The last non-overlapping match (Python `finditer(...)[-1]` / `findall(...)[-1]`), or null. */
export function lastMatch(regex: RegExp, text: string): RegExpExecArray | null {
  if (!regex.global) throw new Error('lastMatch needs a global RegExp (use pyRegex)');
  regex.lastIndex = 0;
  let last: RegExpExecArray | null = null;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    last = m;
    if (m[0] === '') regex.lastIndex = advance(text, regex.lastIndex);
  }
  return last;
}

function advance(text: string, index: number): number {
  const cp = text.codePointAt(index);
  return index + (cp !== undefined && cp > 0xffff ? 2 : 1);
}

/** Translates Python `re` syntax to a JavaScript `u`-mode pattern source. */
export function translatePyPattern(pattern: string, ignoreCase: boolean): string {
  const cps = [...pattern];
  let out = '';
  let i = 0;
  while (i < cps.length) {
    const ch = cps[i];
    if (ch === '\\') {
      const [piece, used] = translateEscape(cps, i, ignoreCase, false);
      out += piece;
      i += used;
    } else if (ch === '[') {
      const [piece, used] = translateClass(cps, i, ignoreCase);
      out += piece;
      i += used;
    } else if (ch === '(' && cps[i + 1] === '?') {
      const [piece, used] = translateGroupOpen(cps, i);
      out += piece;
      i += used;
    } else if (ch === '{') {
      const quant = /^\{(\d*)(,?)(\d*)\}/.exec(cps.slice(i, i + 24).join(''));
      if (quant && quant[0] !== '{}') {
        out += `{${quant[1] || '0'}${quant[2]}${quant[3]}}`;
        i += quant[0].length;
      } else {
        out += '\\{';
        i++;
      }
    } else {
      out += translatePlain(ch, ignoreCase);
      i++;
    }
  }
  return out;
}

function translatePlain(ch: string, ignoreCase: boolean): string {
  if (ch === '.') return '[^\\n]';
  if (ch === '$') return '(?=\\n?$)';
  if (ch === '}') return '\\}';
  if (ch === '/') return '\\/';
  if (ignoreCase) return caseClass(ch) ?? ch;
  return ch;
}

/** `[xX…]` for a cased character under ignoreCase; null for uncased ones. */
function caseClass(ch: string): string | null {
  const lower = ch.toLowerCase();
  if (lower === ch.toUpperCase()) return null;
  if (!/^[a-zA-Z]$/.test(ch)) throw new Error(`pyRegex: non-ASCII letter '${ch}' under ignoreCase is not supported`);
  return `[${lower}${lower.toUpperCase()}${CASE_EXTRAS[lower] ?? ''}]`;
}

function translateGroupOpen(cps: string[], i: number): [string, number] {
  const head = cps.slice(i, i + 4).join('');
  if (head.startsWith('(?:') || head.startsWith('(?=') || head.startsWith('(?!')) return [head.slice(0, 3), 3];
  if (head.startsWith('(?<=') || head.startsWith('(?<!')) return [head, 4];
  if (head.startsWith('(?P<')) {
    const close = cps.indexOf('>', i);
    if (close < 0) throw new Error('pyRegex: unterminated group name');
    return [`(?<${cps.slice(i + 4, close).join('')}>`, close - i + 1];
  }
  throw new Error(`pyRegex: group syntax '${head}' is not supported`);
}

/** One escape sequence starting at `cps[i] === '\\'`; returns [translation, characters used]. */
function translateEscape(cps: string[], i: number, ignoreCase: boolean, inClass: boolean): [string, number] {
  const next = cps[i + 1];
  if (next === undefined) throw new Error('pyRegex: pattern ends with a backslash');
  if (next === 'd') return [inClass ? PY_DIGIT_CLASS_BODY : `[${PY_DIGIT_CLASS_BODY}]`, 2];
  if (next === 's') return [inClass ? PY_SPACE_CLASS_BODY : `[${PY_SPACE_CLASS_BODY}]`, 2];
  if (!inClass && next === 'D') return [`[^${PY_DIGIT_CLASS_BODY}]`, 2];
  if (!inClass && next === 'S') return [`[^${PY_SPACE_CLASS_BODY}]`, 2];
  if (!inClass && next === 'A') return ['^', 2];
  if (!inClass && next === 'Z') return ['$', 2];
  if (next === 'x') return [`\\u{${cps.slice(i + 2, i + 4).join('')}}`, 4];
  if (next === 'u') return [`\\u{${cps.slice(i + 2, i + 6).join('')}}`, 6];
  if (next === 'U') return [`\\u{${cps.slice(i + 2, i + 10).join('')}}`, 10];
  if ('ntrfv'.includes(next)) return [`\\${next}`, 2];
  if (next === '0') return ['\\u{0}', 2];
  if (SYNTAX_CHARS.includes(next) || (inClass && next === '-')) return [`\\${next}`, 2];
  if (/^[a-zA-Z0-9]$/.test(next)) throw new Error(`pyRegex: escape '\\${next}' is not supported`);
  if (ignoreCase && !inClass) return [caseClass(next) ?? literal(next), 2];
  return [literal(next), 2];
}

function literal(ch: string): string {
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

/** A character class starting at `cps[i] === '['`; returns [translation, characters used]. */
function translateClass(cps: string[], i: number, ignoreCase: boolean): [string, number] {
  let j = i + 1;
  let body = '';
  if (cps[j] === '^') {
    body += '^';
    j++;
  }
  const letters = new Set<string>();
  let first = true;
  while (j < cps.length && (cps[j] !== ']' || first)) {
    first = false;
    if (cps[j] === '\\') {
      const [piece, used] = translateEscape(cps, j, false, true);
      body += piece;
      j += used;
      continue;
    }
    const isRange = cps[j + 1] === '-' && cps[j + 2] !== undefined && cps[j + 2] !== ']';
    const end = isRange ? cps[j + 2] : cps[j];
    collectLetters(cps[j], end, letters, ignoreCase);
    body += isRange ? `${classChar(cps[j])}-${classChar(end)}` : classChar(cps[j]);
    j += isRange ? 3 : 1;
  }
  if (j >= cps.length) throw new Error('pyRegex: unterminated character class');
  if (ignoreCase) for (const l of letters) body += `${l}${l.toUpperCase()}${CASE_EXTRAS[l] ?? ''}`;
  return [`[${body}]`, j - i + 1];
}

function classChar(ch: string): string {
  return '^$\\.*+?()[]{}|/-'.includes(ch) ? `\\${ch}` : ch;
}

function collectLetters(start: string, end: string, letters: Set<string>, ignoreCase: boolean): void {
  const a = start.codePointAt(0) ?? 0;
  const b = end.codePointAt(0) ?? 0;
  if (ignoreCase && b > 0x7f && (a !== b || start.toLowerCase() !== start.toUpperCase())) {
    throw new Error(`pyRegex: non-ASCII class member '${start}-${end}' under ignoreCase is not supported`);
  }
  for (let cp = Math.max(a, 0x41); cp <= Math.min(b, 0x7a); cp++) {
    const ch = String.fromCodePoint(cp);
    if (/^[a-zA-Z]$/.test(ch)) letters.add(ch.toLowerCase());
  }
}
