import { HeadTailBuffer } from '../output';
import { findMarker, holdBackBytes, incompleteExitAt, type MarkerHit, type SessionMarkers } from './marker';

/** Bytes kept while nobody waits (background jobs printing between commands). */
const IDLE_KEEP_BYTES = 64 * 1024;

export interface WaitSpec {
  prompt?: boolean;
  exit?: boolean;
  expect?: readonly string[];
  /** Where bytes before the hit go; null discards them. */
  sink: HeadTailBuffer | null;
  /** Absolute deadline (ms since epoch). */
  deadline: number;
}

export type WaitOutcome = MarkerHit | { kind: 'timeout' } | { kind: 'closed' };

interface Waiter {
  spec: WaitSpec;
  holdBack: number;
  timer: NodeJS.Timeout;
  resolve: (outcome: WaitOutcome) => void;
}

/**
 * Scans PTY output for session markers. One waiter at a time (a session runs one command at a
 * time); bytes before the hit go to the waiter's sink, which caps memory.
 */
export class PtyStream {
  private pending: Buffer = Buffer.alloc(0);
  private waiter: Waiter | null = null;
  private closed = false;

  constructor(private readonly markers: SessionMarkers) {}

  /** Feed raw bytes from the PTY. */
  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.scan();
  }

  /** The PTY closed: a pending wait resolves `closed`. */
  close(): void {
    this.closed = true;
    this.finish({ kind: 'closed' });
  }

  /** Drops buffered bytes (noise printed while idle). */
  discard(): void {
    this.pending = Buffer.alloc(0);
  }

  wait(spec: WaitSpec): Promise<WaitOutcome> {
    if (this.waiter) throw new Error('PtyStream supports one waiter at a time');
    if (this.closed) return Promise.resolve({ kind: 'closed' });
    return new Promise<WaitOutcome>((resolve) => {
      const timer = setTimeout(() => this.finish({ kind: 'timeout' }), Math.max(0, spec.deadline - Date.now()));
      this.waiter = { spec, timer, resolve, holdBack: holdBackBytes(this.markers, spec.expect) };
      this.scan();
    });
  }

  private scan(): void {
    const waiter = this.waiter;
    if (!waiter) {
      if (this.pending.length > IDLE_KEEP_BYTES) this.pending = Buffer.from(this.pending.subarray(-IDLE_KEEP_BYTES));
      return;
    }
    const window = this.pending.toString('latin1');
    const hit = findMarker(window, this.markers, waiter.spec);
    if (hit) {
      waiter.spec.sink?.push(this.pending.subarray(0, hit.index));
      this.pending = Buffer.from(this.pending.subarray(hit.end));
      this.finish(hit);
      return;
    }
    // An exit tag whose code and pipe statuses are still coming stays in `pending`.
    const tagAt = waiter.spec.exit ? incompleteExitAt(window, this.markers.exitTag) : -1;
    const flush = tagAt >= 0 ? tagAt : this.pending.length - waiter.holdBack;
    if (flush > 0) {
      waiter.spec.sink?.push(this.pending.subarray(0, flush));
      this.pending = Buffer.from(this.pending.subarray(flush));
    }
  }

  private finish(outcome: WaitOutcome): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = null;
    clearTimeout(waiter.timer);
    if (outcome.kind === 'timeout' || outcome.kind === 'closed') waiter.spec.sink?.push(this.pending);
    waiter.resolve(outcome);
  }
}
