import type { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * A registry change, published on `<prefix>events` by the same Lua script that made it:
 * `created` (new pending record), `transition` (state change), `updated` (fields patched),
 * `purged` (record removed). `from_state` is the state before, `state` the state after.
 */
export const RegistryEventSchema = z.object({
  type: z.enum(['created', 'transition', 'updated', 'purged']),
  sandbox_id: z.string(),
  from_state: z.string(),
  state: z.string(),
  event: z.string(),
  timestamp: z.string(),
  owner: z.string(),
});
export type RegistryEvent = z.infer<typeof RegistryEventSchema>;

export type RegistryEventListener = (event: RegistryEvent) => void;

/** Handle returned by `onEvent`; `unsubscribe()` stops delivery to that listener. */
export interface EventSubscription {
  unsubscribe(): void;
}

/**
 * Fan-out of registry events to in-process listeners over ONE dedicated subscriber connection
 * (a subscribed Redis connection cannot run other commands). Malformed messages are dropped and
 * reported to `onError`; a throwing listener does not affect the others.
 */
export class RegistryEventHub {
  private subscriber: Redis | null = null;
  private ready: Promise<void> | null = null;
  private readonly listeners = new Set<RegistryEventListener>();

  constructor(
    private readonly connect: () => Redis,
    private readonly channel: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Adds a listener; resolves once the channel subscription is active. */
  async subscribe(listener: RegistryEventListener): Promise<EventSubscription> {
    this.listeners.add(listener);
    this.ready ??= this.start();
    await this.ready;
    return { unsubscribe: () => this.listeners.delete(listener) };
  }

  private async start(): Promise<void> {
    const subscriber = this.connect();
    this.subscriber = subscriber;
    subscriber.on('error', (error: unknown) => this.onError(error));
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.dispatch(message);
    });
    await subscriber.subscribe(this.channel);
  }

  private dispatch(message: string): void {
    let event: RegistryEvent;
    try {
      event = RegistryEventSchema.parse(JSON.parse(message));
    } catch (error) {
      this.onError(error);
      return;
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  /** Closes the subscriber connection (idempotent). */
  async close(): Promise<void> {
    this.listeners.clear();
    const subscriber = this.subscriber;
    this.subscriber = null;
    this.ready = null;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }
}
