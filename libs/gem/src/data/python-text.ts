/**
 * The few Python `re`/`str` behaviours the word games' action parsers depend on (GEM golden
 * README quirks 5–7), for CPython 3.11 (Unicode 14). Node's own Unicode tables are newer, so
 * the classes are spelled out instead of using `\p{Nd}`.
 */

/** First code point (digit zero) of every Unicode 14 `Nd` run; each run is ten contiguous digits 0–9. */
const DIGIT_ZEROS: readonly number[] = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0,
  0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620,
  0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0,
  0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60,
  0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

const hex = (cp: number): string => `\\u{${cp.toString(16)}}`;

/** Python's `\d` as a character class for a regex compiled with the `u` flag. */
export const PY_DIGIT = `[${DIGIT_ZEROS.map((z) => `${hex(z)}-${hex(z + 9)}`).join('')}]`;

/** Python's `\s` (the `str.isspace()` set): JS `\s` minus U+FEFF plus U+001C–U+001F and U+0085. */
export const PY_SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

/**
 * Python's `[a-zA-Z]` under `re.IGNORECASE`: simple case folding adds ſ (U+017F), ı (U+0131),
 * K (KELVIN SIGN, U+212A) and İ (U+0130).
 */
export const PY_ASCII_LETTER_IGNORECASE = '[a-zA-Z\\u017f\\u0131\\u212a\\u0130]';

function digitValue(cp: number): number {
  for (const zero of DIGIT_ZEROS) {
    if (cp >= zero && cp <= zero + 9) return cp - zero;
  }
  throw new RangeError(`U+${cp.toString(16)} is not a Python decimal digit`);
}

/** CPython 3.11's `int()` refuses decimal strings longer than this (`sys.get_int_max_str_digits()`). */
export const PY_INT_MAX_STR_DIGITS = 4300;

/**
 * An action whose number CPython's `int()` refuses (more than {@link PY_INT_MAX_STR_DIGITS} digits):
 * GEM's Crosswords and WordSearch raise ValueError out of `step` there. Kind `gem_action_invalid`.
 */
export class PyIntLimitError extends Error {
  readonly kind = 'gem_action_invalid';
  constructor(readonly digits: number) {
    super(
      `action: a number in \\boxed{} has ${digits} digits; Python's int() accepts at most ${PY_INT_MAX_STR_DIGITS} ` +
        '(GEM raises ValueError here)',
    );
    this.name = 'PyIntLimitError';
  }
}

/**
 * `str(int(text))` for a run of Python `\d` characters: ASCII digits, leading zeros dropped.
 * Throws {@link PyIntLimitError} where CPython's `int()` would raise.
 */
export function pyIntText(digits: string): string {
  let out = '';
  for (const ch of digits) out += String(digitValue(ch.codePointAt(0) ?? 0));
  if (out.length > PY_INT_MAX_STR_DIGITS) throw new PyIntLimitError(out.length);
  const trimmed = out.replace(/^0+/, '');
  return trimmed === '' ? '0' : trimmed;
}

/** The last match of `pattern` (which must have the `g` flag) in `text`: `finditer(...)[-1]`. */
export function lastMatch(pattern: RegExp, text: string): RegExpExecArray | undefined {
  pattern.lastIndex = 0;
  let last: RegExpExecArray | undefined;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    last = m;
    if (m[0] === '') pattern.lastIndex++;
  }
  return last;
}

/** Python `round(x)` for a float: ties go to the even neighbour (banker's rounding). */
export function pyRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Python's `repr()` of a list of plain ASCII strings without quotes inside: `['G', 'X']`. */
export function pyStrListRepr(items: readonly string[]): string {
  return `[${items.map((s) => `'${s}'`).join(', ')}]`;
}
