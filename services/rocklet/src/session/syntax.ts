/** Characters that can never start shell syntax: words of letters, digits and `_./:=,@%+-`. */
const PLAIN_LINE = /^[A-Za-z0-9_./:=,@%+\- \t]+$/;

/** Words that are grammar, not commands, where they start a command (bash and POSIX sh). */
const RESERVED_WORDS = new Set([
  'case', 'coproc', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'function', 'if', 'in', 'select', 'then', 'time', 'until', 'while',
]);

/**
 * True when `command` is one line of plain words (no quotes, operators, expansions, redirections,
 * globs, comments or reserved words): such a line is a simple command that no POSIX shell can
 * reject, so `<shell> -n` (a process spawn, ~1 ms of the rocklet's CPU with its event loop
 * blocked until exec) can be skipped for it — `ls -la /tmp`, `python run.py --n 3`, `true`.
 */
export function isPlainSimpleCommand(command: string): boolean {
  if (!PLAIN_LINE.test(command)) return false;
  const words = command.split(/[ \t]+/).filter((w) => w !== '');
  return words.length > 0 && !words.some((w) => RESERVED_WORDS.has(w));
}
