/**
 * Python 3.11 `str` semantics that JavaScript lacks or gets subtly different (GEM golden README
 * quirks 5–7): Unicode decimal digits, Python's whitespace set, `int()`, `strip()`, `split()`,
 * `upper()`/`lower()` and `repr()` of lists.
 *
 * Tables are pinned to Python 3.11 (Unicode 14), not to this Node's newer ICU data.
 */

/** Code points whose digit value is 0, one per run of ten Unicode Nd digits in Python 3.11. */
const DIGIT_ZEROS = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0,
  0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620,
  0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0,
  0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60,
  0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

const hex = (cp: number): string => `\\u{${cp.toString(16)}}`;

/** Body of a `u`-flag character class equal to Python 3.11's `\d` (no brackets, so it nests). */
export const PY_DIGIT_CLASS_BODY = mergeRuns(DIGIT_ZEROS)
  .map(([a, b]) => `${hex(a)}-${hex(b)}`)
  .join('');

/** Body of a `u`-flag character class equal to Python's `\s` and `str.isspace()`. */
export const PY_SPACE_CLASS_BODY = '\\t\\n\\v\\f\\r\\u{1c}-\\u{20}\\u{85}\\u{a0}\\u{1680}\\u{2000}-\\u{200a}\\u{2028}\\u{2029}\\u{202f}\\u{205f}\\u{3000}';

const SPACE_RE = new RegExp(`[${PY_SPACE_CLASS_BODY}]`, 'u');
const SPACE_RUN_RE = new RegExp(`[${PY_SPACE_CLASS_BODY}]+`, 'u');
const LEADING_SPACE_RE = new RegExp(`^[${PY_SPACE_CLASS_BODY}]+`, 'u');
const TRAILING_SPACE_RE = new RegExp(`[${PY_SPACE_CLASS_BODY}]+$`, 'u');

function mergeRuns(zeros: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const z of zeros) {
    const last = out[out.length - 1];
    if (last && last[1] === z - 1) last[1] = z + 9;
    else out.push([z, z + 9]);
  }
  return out;
}

/** Python's `ch.isspace()` for a single character. */
export function isPySpace(ch: string): boolean {
  return [...ch].length === 1 && SPACE_RE.test(ch);
}

/** The decimal value of a code point Python's `\d` matches, or -1. */
export function pyDigitValue(cp: number): number {
  let lo = 0;
  let hi = DIGIT_ZEROS.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (DIGIT_ZEROS[mid] > cp) hi = mid - 1;
    else lo = mid + 1;
  }
  if (hi < 0) return -1;
  const offset = cp - DIGIT_ZEROS[hi];
  return offset <= 9 ? offset : -1;
}

/**
 * Python `int(text)` for base 10: surrounding whitespace, an optional sign, Unicode decimal
 * digits with single underscores between them. Returns null where Python raises ValueError.
 */
export function pyInt(text: string): bigint | null {
  let ascii = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const digit = pyDigitValue(cp);
    // As CPython: ASCII is kept verbatim (so \x1c is not a separator here), other digits and
    // spaces are transliterated, anything else is invalid.
    if (cp < 0x80) ascii += ch;
    else if (digit >= 0) ascii += String(digit);
    else if (SPACE_RE.test(ch)) ascii += ' ';
    else return null;
  }
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+(?:_\d+)*)[ \t\n\v\f\r]*$/.exec(ascii);
  if (!m) return null;
  const value = BigInt(m[2].replace(/_/g, ''));
  return m[1] === '-' ? -value : value;
}

/** CPython's `sys.int_info.default_max_str_digits`: int() of a longer decimal string raises ValueError. */
export const PY_INT_MAX_STR_DIGITS = 4300;

/**
 * `pyInt`, but null also where CPython 3.11 raises for exceeding {@link PY_INT_MAX_STR_DIGITS}
 * digits (the games treat that as unparseable instead of crashing).
 */
export function pyIntLimited(text: string): bigint | null {
  let digits = 0;
  for (const ch of text) if (pyDigitValue(ch.codePointAt(0) ?? 0) >= 0 && ++digits > PY_INT_MAX_STR_DIGITS) return null;
  return pyInt(text);
}

/** `pyInt` narrowed to a JS number; null when not an int or outside the safe-integer range. */
export function pyIntSafe(text: string): number | null {
  const value = pyInt(text);
  if (value === null || value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    return null;
  }
  return Number(value);
}

/** `str.strip()` (Python whitespace) or `str.strip(chars)`. */
export function pyStrip(text: string, chars?: string): string {
  if (chars === undefined) return text.replace(LEADING_SPACE_RE, '').replace(TRAILING_SPACE_RE, '');
  const set = new Set(chars);
  const cps = [...text];
  let a = 0;
  let b = cps.length;
  while (a < b && set.has(cps[a])) a++;
  while (b > a && set.has(cps[b - 1])) b--;
  return cps.slice(a, b).join('');
}

/** `str.split()` with no arguments: split on runs of Python whitespace, no empty pieces. */
export function pySplit(text: string): string[] {
  const stripped = pyStrip(text);
  return stripped === '' ? [] : stripped.split(SPACE_RUN_RE);
}

/** Code points that Python 3.11 leaves unchanged but this Node's newer ICU maps (upper / lower). */
const UPPER_KEEP = ranges([[0x19b], [0x264], [0x1c8a], [0xa7cd], [0xa7cf], [0xa7d3], [0xa7d5], [0xa7db], [0x10d70, 0x10d85], [0x16ebb, 0x16ed3]]);
const LOWER_KEEP = ranges([[0x1c89], [0xa7cb, 0xa7cc], [0xa7ce], [0xa7d2], [0xa7d4], [0xa7da], [0xa7dc], [0x10d50, 0x10d65], [0x16ea0, 0x16eb8]]);

function ranges(spec: number[][]): Set<number> {
  const set = new Set<number>();
  for (const [a, b = a] of spec) for (let cp = a; cp <= b; cp++) set.add(cp);
  return set;
}

function mapKeeping(text: string, keep: Set<number>, map: (s: string) => string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(text)) return map(text);
  let out = '';
  let run = '';
  for (const ch of text) {
    if (keep.has(ch.codePointAt(0) ?? 0)) {
      out += map(run) + ch;
      run = '';
    } else {
      run += ch;
    }
  }
  return out + map(run);
}

/** Python `str.upper()` (full case mapping, e.g. 'ſ' → 'S', 'ı' → 'I', 'ß' → 'SS'). */
export function pyUpper(text: string): string {
  return mapKeeping(text, UPPER_KEEP, (s) => s.toUpperCase());
}

/** Python `str.lower()` (full case mapping, final sigma, 'İ' → 'i̇'). */
export function pyLower(text: string): string {
  return mapKeeping(text, LOWER_KEEP, (s) => s.toLowerCase());
}

/** Python `repr()` of a list of ints: `[1, 2]`, `[]`. */
export function pyIntListRepr(values: readonly (number | bigint)[]): string {
  return `[${values.map(String).join(', ')}]`;
}

/** Python `repr()` of a str; exact for printable text and the common escapes. */
export function pyStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) out += reprChar(ch, quote);
  return out + quote;
}

const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;
const NAMED_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function reprChar(ch: string, quote: string): string {
  if (ch === quote) return `\\${ch}`;
  const named = NAMED_ESCAPES[ch];
  if (named) return named;
  if (ch === ' ' || !NON_PRINTABLE.test(ch)) return ch;
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** Python `repr()` of a list of strings: `['G', 'X', 'Y']`. */
export function pyStrListRepr(values: readonly string[]): string {
  return `[${values.map(pyStrRepr).join(', ')}]`;
}
