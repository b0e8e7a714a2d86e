/**
 * Python 3.11 `re` classes the Sudoku parser needs (golden README quirks 5–6): Unicode 14 `\d`
 * (every `Nd` run) and `\s` (the `str.isspace()` set), spelled out because Node's Unicode tables
 * are newer and JS `\s` differs (it has U+FEFF, lacks U+001C–U+001F and U+0085).
 * Local to Sudoku until gem-core's shared `core/pyre.ts` lands.
 */

/** Digit zero of every Unicode 14 `Nd` run (each run is ten contiguous digits 0–9); from CPython 3.11. */
const DIGIT_ZEROS: readonly number[] = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0,
  0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620,
  0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0,
  0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60,
  0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

const hex = (cp: number): string => `\\u{${cp.toString(16)}}`;

/** Python's `\d`, as a class for a regex compiled with the `u` flag. */
export const PY_DIGIT = `[${DIGIT_ZEROS.map((z) => `${hex(z)}-${hex(z + 9)}`).join('')}]`;

/** Python's `\s`, as a class for a regex compiled with the `u` flag. */
export const PY_SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

/** CPython 3.11's `int()` refuses decimal strings with more digits than this (`sys.get_int_max_str_digits()`). */
export const PY_INT_MAX_STR_DIGITS = 4300;

function digitValue(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  for (const zero of DIGIT_ZEROS) if (cp >= zero && cp <= zero + 9) return cp - zero;
  throw new RangeError(`U+${cp.toString(16)} is not a Python decimal digit`);
}

/**
 * `str(int(digits))` for a run of Python `\d` characters (ASCII result, leading zeros dropped, any
 * length), or null where CPython's `int()` raises ValueError for exceeding the digit limit.
 */
export function pyIntText(digits: string): string | null {
  let out = '';
  let count = 0;
  for (const ch of digits) {
    out += String(digitValue(ch.codePointAt(0) as number));
    count++;
  }
  if (count > PY_INT_MAX_STR_DIGITS) return null;
  const trimmed = out.replace(/^0+/, '');
  return trimmed === '' ? '0' : trimmed;
}

/** The last match of a `g`-flagged `pattern` in `text`, like `list(finditer(...))[-1]`. */
export function lastMatch(pattern: RegExp, text: string): RegExpExecArray | null {
  pattern.lastIndex = 0;
  let last: RegExpExecArray | null = null;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    last = m;
    if (m[0] === '') pattern.lastIndex++;
  }
  return last;
}
