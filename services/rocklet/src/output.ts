/**
 * Bounded output capture: keeps the first `limit/2` and last `limit/2` bytes of a stream and
 * drops the middle, so a command printing gigabytes costs at most `limit` bytes of memory.
 */
export class HeadTailBuffer {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(limit: number) {
    this.headLimit = Math.ceil(limit / 2);
    this.tailLimit = Math.floor(limit / 2);
  }

  /** Bytes seen so far (kept or dropped). */
  get totalBytes(): number {
    return this.total;
  }

  /** True once something in the middle was dropped. */
  get truncated(): boolean {
    return this.total > this.headBytes + this.tailBytes;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailLimit === 0) return;
    // Copy so a dropped parent chunk can be garbage-collected.
    this.tail.push(rest.length > this.tailLimit ? Buffer.from(rest.subarray(rest.length - this.tailLimit)) : rest);
    this.tailBytes += Math.min(rest.length, this.tailLimit);
    this.trimTail();
  }

  private trimTail(): void {
    let excess = this.tailBytes - this.tailLimit;
    while (excess > 0 && this.tail.length > 0) {
      const first = this.tail[0];
      if (first.length <= excess) {
        this.tail.shift();
        excess -= first.length;
        this.tailBytes -= first.length;
      } else {
        this.tail[0] = Buffer.from(first.subarray(excess));
        this.tailBytes -= excess;
        excess = 0;
      }
    }
  }

  /** Head + marker + tail when truncated, decoded as UTF-8 (a cut character becomes U+FFFD). */
  toString(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    if (!this.truncated) return head + Buffer.concat(this.tail).toString('utf8');
    const dropped = this.total - this.headBytes - this.tailBytes;
    return `${head}\n[... ${dropped} bytes truncated ...]\n${Buffer.concat(this.tail).toString('utf8')}`;
  }
}

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), two-byte ESC sequences, and 8-bit CSI.
const ANSI_PATTERN =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[@-Z\\-_]|\x1b[()#][0-9A-Za-z]|\x9b[0-?]*[ -/]*[@-~]/g;
// Control characters other than tab and newline (after CRLF normalisation).
// eslint-disable-next-line no-control-regex
const CONTROL_PATTERN = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** Removes ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/**
 * Terminal output → clean text: ANSI codes removed, CRLF → LF, a line's text after its last
 * lone CR kept (progress bars), remaining control characters dropped, whitespace trimmed.
 */
export function cleanTerminalOutput(text: string): string {
  const lines = stripAnsi(text)
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((raw) => {
      const line = raw.replace(/\r+$/, '');
      const cr = line.lastIndexOf('\r');
      return cr >= 0 ? line.slice(cr + 1) : line;
    });
  return lines.join('\n').replace(CONTROL_PATTERN, '').trim();
}
