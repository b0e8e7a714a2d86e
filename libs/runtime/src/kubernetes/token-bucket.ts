import { systemClock, type Clock } from '../poll';
import { RuntimeError } from '../runtime.errors';

/**
 * Client-side request rate limit (client-go's `QPS`/`Burst`): up to `burst` requests at once, then
 * `qps` per second. Callers queue in arrival order.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly qps: number,
    private readonly burst: number,
    private readonly timer: Clock = systemClock,
  ) {
    if (!(qps > 0)) throw new RuntimeError('INVALID_SPEC', `qps: must be a positive number, got ${qps}`);
    if (!Number.isInteger(burst) || burst < 1) throw new RuntimeError('INVALID_SPEC', `burst: must be an integer >= 1, got ${burst}`);
    this.tokens = burst;
    this.last = timer.now();
  }

  /** Resolves when the caller may send one request. */
  take(): Promise<void> {
    const turn = this.tail.then(() => this.takeNow());
    this.tail = turn;
    return turn;
  }

  private async takeNow(): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      await this.timer.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.qps));
      this.refill();
    }
    this.tokens -= 1;
  }

  private refill(): void {
    const now = this.timer.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
    this.last = now;
  }
}
