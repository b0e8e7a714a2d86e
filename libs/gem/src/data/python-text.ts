import { ResultCode, RockError } from '@rock/contracts';
import { pyDigitValue } from '../core/pystr';

/**
 * Python number behaviours the word games need beyond core/pystr: `int()`'s digit limit and
 * `round()`'s ties-to-even (CPython 3.11).
 */

/** CPython 3.11's `int()` refuses decimal strings longer than this (`sys.get_int_max_str_digits()`). */
export const PY_INT_MAX_STR_DIGITS = 4300;

/**
 * An action holding a number CPython's `int()` refuses (more than {@link PY_INT_MAX_STR_DIGITS}
 * digits, leading zeros included). GEM's Crosswords and WordSearch raise ValueError out of `step`
 * there; this port answers a clear 400 instead (kind `gem_invalid_action`).
 */
export class PyIntLimitError extends RockError {
  constructor(readonly digits: number) {
    super(
      'gem_invalid_action',
      ResultCode.BadRequest,
      400,
      `action: a number in \\boxed{} has ${digits} digits; Python's int() accepts at most ${PY_INT_MAX_STR_DIGITS}`,
    );
  }
}

/**
 * `str(int(digits))` for a run of Python `\d` characters: ASCII digits, leading zeros dropped, any
 * precision. Throws {@link PyIntLimitError} where CPython's `int()` raises.
 */
export function pyIntText(digits: string): string {
  let out = '';
  for (const ch of digits) {
    const value = pyDigitValue(ch.codePointAt(0) ?? 0);
    if (value < 0) throw new RangeError(`'${ch}' is not a Python decimal digit`);
    out += String(value);
  }
  if (out.length > PY_INT_MAX_STR_DIGITS) throw new PyIntLimitError(out.length);
  const trimmed = out.replace(/^0+/, '');
  return trimmed === '' ? '0' : trimmed;
}

/** Python `round(x)` for a float: ties go to the even neighbour (banker's rounding). */
export function pyRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
