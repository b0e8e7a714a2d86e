import { randomBytes } from 'node:crypto';

/**
 * Per-session markers printed by the shell. The shell text that produces them never contains a
 * marker contiguously (it is assembled from quoted pieces), so terminal echo cannot fake one.
 */
export interface SessionMarkers {
  /** PS1 value: printed whenever the shell is ready for a new command line. */
  readonly prompt: string;
  /** Printed as `<exitTag><code>_` right after a command finishes. */
  readonly exitTag: string;
}

export type MarkerHit =
  | { kind: 'prompt'; index: number; end: number }
  | { kind: 'exit'; index: number; end: number; exitCode: number }
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

/** How every protocol line ends (used to cut an echoed line out of the output). */
export const PROTOCOL_LINE_END = 'export PS1 PS2';

/** Marker prompt, empty PS2/PS0, no prompt hooks: re-asserted after every command. */
export function promptLine(markers: SessionMarkers): string {
  return `PS1=${quotedHalves(markers.prompt)}; PS2=''; PS0=''; unset PROMPT_COMMAND 2>/dev/null; ${PROTOCOL_LINE_END}`;
}

/**
 * Removes the terminal's echo of `sentLine` from the start of `text` (images without `stty`, or a
 * terminal left in echo mode by a killed program). The echo may be re-wrapped by line editing, so
 * a protocol line is cut up to its fixed ending.
 */
export function stripEcho(text: string, sentLine: string): string {
  if (text.startsWith(sentLine)) return text.slice(sentLine.length).trimStart();
  if (!sentLine.endsWith(PROTOCOL_LINE_END) || !text.startsWith(sentLine.slice(0, 16))) return text;
  const end = text.indexOf(PROTOCOL_LINE_END);
  return end >= 0 && end < sentLine.length * 2 ? text.slice(end + PROTOCOL_LINE_END.length).trimStart() : text;
}

/** POSIX-sh setup: no echo, marker prompt, no history file. */
export function setupLine(markers: SessionMarkers): string {
  return `stty sane -echo 2>/dev/null || stty -echo 2>/dev/null; unset HISTFILE; ${promptLine(markers)}`;
}

/**
 * Shell text that prints the exit code of the previous command between markers, then restores the
 * marker prompt (a command or a sourced rc file may have changed PS1).
 */
export function exitPrinter(markers: SessionMarkers): string {
  return `printf '\\n%s%s_\\n' ${quotedHalves(markers.exitTag)} "$?"; ${promptLine(markers)}`;
}

/** Single-quotes `value` for POSIX sh. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** UTF-8 text as the latin1 string the scanner searches (one char per byte). */
export function asLatin1(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

const EXIT_DIGITS = /^(\d{1,3})_/;

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
    const i = window.indexOf(markers.exitTag);
    const m = i >= 0 ? EXIT_DIGITS.exec(window.slice(i + markers.exitTag.length)) : null;
    if (m) consider({ kind: 'exit', index: i, end: i + markers.exitTag.length + m[0].length, exitCode: Number(m[1]) });
  }
  for (const needle of want.expect ?? []) {
    const bytes = asLatin1(needle);
    const i = window.indexOf(bytes);
    if (i >= 0) consider({ kind: 'expect', index: i, end: i + bytes.length, matched: needle });
  }
  return best;
}

/** Bytes to hold back between scans so a marker split across chunks is still found. */
export function holdBackBytes(markers: SessionMarkers, expect: readonly string[] = []): number {
  const longest = Math.max(markers.prompt.length, markers.exitTag.length + 4, ...expect.map((e) => asLatin1(e).length));
  return longest + 1;
}
