import { randomBytes } from 'node:crypto';

/**
 * Per-session markers printed by the shell. The shell text that produces them never contains a
 * marker contiguously (it is assembled from quoted pieces), so terminal echo cannot fake one.
 */
export interface SessionMarkers {
  /** PS1 value: printed whenever the shell is ready for a new command line. */
  readonly prompt: string;
  /** Printed as `<exitTag><code>:<pipestatus>_` right after a command finishes. */
  readonly exitTag: string;
}

export type MarkerHit =
  | { kind: 'prompt'; index: number; end: number }
  | { kind: 'exit'; index: number; end: number; exitCode: number; pipeStatus: number[] }
  | { kind: 'expect'; index: number; end: number; matched: string };

export function newSessionMarkers(): SessionMarkers {
  const id = randomBytes(8).toString('hex');
  return { prompt: `__ROCK_PS1_${id}__`, exitTag: `__ROCK_EC_${id}_` };
}

/** Splits a marker into two single-quoted halves so the shell source does not contain it. */
function quotedHalves(marker: string): string {
  const mid = Math.floor(marker.length / 2);
  return `'${marker.slice(0, mid)}''${marker.slice(mid)}'`;
}

/**
 * The user's `$?` survives the protocol: every protocol line first saves it (or takes the value
 * the staged script's trailer saved) and, as its last command, restores it through a function
 * that returns it. `&& :` keeps a restored non-zero status from tripping the user's `set -e`
 * (errexit ignores every command of an AND list but the last). The variables are unset again by
 * the restore, so a value never leaks into a later call. The whole line is one brace group with
 * stderr to /dev/null, so a user's `set -x` does not trace the protocol into the output.
 */
const SAVE_STATUS = '__rock_ec=${__rock_ec:-$?}';
const RESTORE_STATUS = `__rock_rs() { unset __rock_ec __rock_ps; return "$1"; }; __rock_rs "$__rock_ec" && :`;

/** How every protocol line ends (used to cut an echoed line out of the output). */
export const PROTOCOL_LINE_END = '&& :; } 2>/dev/null';

function protocolLine(body: string): string {
  return `{ ${SAVE_STATUS}; ${body}; ${RESTORE_STATUS}; } 2>/dev/null`;
}

/** Marker prompt, empty PS2/PS0, no prompt hooks: re-asserted after every command. */
export function promptLine(markers: SessionMarkers): string {
  return `PS1=${quotedHalves(markers.prompt)}; PS2=''; PS0=''; unset PROMPT_COMMAND 2>/dev/null; export PS1 PS2`;
}

/**
 * Removes the terminal's echo of `sentLine` from the start of `text` (images without `stty`, or a
 * terminal left in echo mode by a killed program). The echo may be re-wrapped by line editing, or
 * shown as its last screenful after `<` (readline's horizontal scrolling on a dumb terminal), so a
 * protocol line is cut up to its fixed ending.
 */
export function stripEcho(text: string, sentLine: string): string {
  if (text.startsWith(sentLine)) return text.slice(sentLine.length).trimStart();
  const echoed = text.startsWith(sentLine.slice(0, 16)) || text.startsWith('<');
  if (!sentLine.endsWith(PROTOCOL_LINE_END) || !echoed) return text;
  const end = text.indexOf(PROTOCOL_LINE_END);
  return end >= 0 && end < sentLine.length * 2 ? text.slice(end + PROTOCOL_LINE_END.length).trimStart() : text;
}

/** POSIX-sh setup: no echo, marker prompt, no history file, `__rock_done`; `$?` is left as it was. */
export function setupLine(markers: SessionMarkers, bash = false): string {
  return protocolLine(`stty sane -echo || stty -echo; unset HISTFILE; ${promptLine(markers)}; ${doneFunction(markers, bash)}`);
}

/**
 * `__rock_done`: the exit printer as a function, so the line typed per command stays short (the
 * shell's line editor reads a typed line one byte at a time: ~2 µs of shell CPU per character).
 * It prints the code, restores the prompt and returns the saved status.
 */
function doneFunction(markers: SessionMarkers, bash: boolean): string {
  const body = `${SAVE_STATUS}; ${printStatus(markers, bash)}; ${promptLine(markers)}; set -- "$__rock_ec"; unset __rock_ec __rock_ps; return "$1"`;
  return `__rock_done() { ${body}; }`;
}

/**
 * The line that runs a staged script. `__rock_done` is defined by the setup line and by every
 * {@link exitPrinter}; should a command have removed it, the line prints no exit marker and the
 * session falls back to the self-contained {@link exitPrinter}, which defines it again.
 */
export function runLine(script: string): string {
  return `. ${shellQuote(script)}; { __rock_done && :; } 2>/dev/null`;
}

/**
 * Appended to every staged command script: saves the status of the user's last command (and, in
 * bash, its PIPESTATUS) and so makes the script itself succeed. The `.` that sources the script
 * then never trips `set -e` on a status errexit had ignored inside it (`false && true`). The blank
 * line first ends a trailing backslash continuation.
 */
export function statusTrailer(bash: boolean): string {
  const save = bash ? '__rock_ec=$? __rock_ps=("${PIPESTATUS[@]}")' : '__rock_ec=$?';
  return `\n{ ${save}; } 2>/dev/null\n`;
}

/**
 * Shell text that prints the exit code of the previous command between markers (bash: also the
 * PIPESTATUS the trailer saved, as `<tag><code>:<s1>,<s2>,_`; otherwise `<tag><code>:,_` or
 * `<tag><code>:_`), then restores the marker prompt (a command or a sourced rc file may have
 * changed PS1) and `$?`.
 */
export function exitPrinter(markers: SessionMarkers, bash = false): string {
  return protocolLine(`${printStatus(markers, bash)}; ${promptLine(markers)}; ${doneFunction(markers, bash)}`);
}

function printStatus(markers: SessionMarkers, bash: boolean): string {
  const pipe = bash ? `printf '%s,' \${__rock_ps[@]+"\${__rock_ps[@]}"}; ` : '';
  return `printf '\\n%s%s:' ${quotedHalves(markers.exitTag)} "$__rock_ec"; ${pipe}printf '_\\n'`;
}

/**
 * Bash only: a line that leaves PIPESTATUS (and `$?`) as a pipeline with these statuses did
 * (`__rock_rs` is defined by every protocol line). Sent only when the user's last command was a
 * pipeline, since each element is a fork. `&& :` (for `set -e`) only when the pipeline fails:
 * after a success `:` would run and replace PIPESTATUS.
 */
export function pipeStatusLine(statuses: readonly number[], exitCode: number): string {
  const pipeline = statuses.map((s) => `__rock_rs ${s}`).join(' | ');
  return `{ ${pipeline}${exitCode === 0 ? '' : ' && :'}; } 2>/dev/null`;
}

/** Single-quotes `value` for POSIX sh. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** UTF-8 text as the latin1 string the scanner searches (one char per byte). */
export function asLatin1(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** `<code>:` then bash's pipe statuses, each followed by `,` (a lone `,` when none were saved). */
const EXIT_DIGITS = /^(\d{1,3}):((?:\d{0,3},)*)_/;
/** What may still follow an exit tag at the end of the window while its code is being printed. */
const EXIT_SO_FAR = /^\d{0,3}(?::[\d,]*)?$/;

/**
 * The first complete exit marker in `window`. A tag followed by anything else (e.g. `set -x`
 * tracing the printer's own arguments) is skipped.
 */
function findExit(window: string, tag: string): MarkerHit | null {
  for (let i = window.indexOf(tag); i >= 0; i = window.indexOf(tag, i + tag.length)) {
    const m = EXIT_DIGITS.exec(window.slice(i + tag.length));
    if (!m) continue;
    const pipeStatus = m[2].split(',').filter((s) => s !== '').map(Number);
    return { kind: 'exit', index: i, end: i + tag.length + m[0].length, exitCode: Number(m[1]), pipeStatus };
  }
  return null;
}

/** Index of an exit tag at the end of `window` whose code is still coming, else -1. */
export function incompleteExitAt(window: string, tag: string): number {
  const i = window.lastIndexOf(tag);
  return i >= 0 && EXIT_SO_FAR.test(window.slice(i + tag.length)) ? i : -1;
}

/**
 * Finds the earliest marker of the requested kinds in `window` (a latin1 view of raw bytes).
 * An exit tag whose code is not complete yet is not a hit (more bytes will come).
 */
export function findMarker(
  window: string,
  markers: SessionMarkers,
  want: { prompt?: boolean; exit?: boolean; expect?: readonly string[] },
): MarkerHit | null {
  let best: MarkerHit | null = null;
  const consider = (hit: MarkerHit): void => {
    if (best === null || hit.index < best.index) best = hit;
  };
  if (want.prompt) {
    const i = window.indexOf(markers.prompt);
    if (i >= 0) consider({ kind: 'prompt', index: i, end: i + markers.prompt.length });
  }
  if (want.exit) {
    const hit = findExit(window, markers.exitTag);
    if (hit) consider(hit);
  }
  for (const needle of want.expect ?? []) {
    const bytes = asLatin1(needle);
    const i = window.indexOf(bytes);
    if (i >= 0) consider({ kind: 'expect', index: i, end: i + bytes.length, matched: needle });
  }
  return best;
}

/**
 * Bytes to hold back between scans so a marker split across chunks is still found (an exit tag
 * already seen but not complete is held back by the scanner whatever its length).
 */
export function holdBackBytes(markers: SessionMarkers, expect: readonly string[] = []): number {
  const longest = Math.max(markers.prompt.length, markers.exitTag.length + 4, ...expect.map((e) => asLatin1(e).length));
  return longest + 1;
}
