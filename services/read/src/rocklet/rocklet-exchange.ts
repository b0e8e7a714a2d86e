import type { Dispatcher } from 'undici';

/** A rocklet's whole answer: status and body bytes, as received. */
export interface RockletAnswer {
  statusCode: number;
  body: Buffer;
}

/** One buffered request/response exchange over an undici dispatcher. */
export interface ExchangeRequest {
  origin: string;
  method: 'GET' | 'POST';
  path: string;
  /** Flat `[name, value, …]` pairs. */
  headers: string[];
  body: string | null;
  timeoutMs: number;
}

/**
 * Collects an answer straight from undici's dispatch callbacks: no response stream, no header
 * parsing, no per-call timer beyond undici's own header/body timeouts. Answers are small JSON
 * documents (outputs are capped by the rocklet), so buffering them whole is the cheap path.
 */
class CollectingHandler implements Dispatcher.DispatchHandler {
  private statusCode = 0;
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly resolve: (answer: RockletAnswer) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  onConnect(): void {
    // Nothing to keep: the call is bounded by undici's header and body timeouts.
  }

  onHeaders(statusCode: number): boolean {
    this.statusCode = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.size += chunk.length;
    return true;
  }

  onComplete(): void {
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.resolve({ statusCode: this.statusCode, body });
  }

  onError(error: Error): void {
    this.reject(error);
  }
}

/**
 * Sends one request and resolves with the whole answer; transport failures and timeouts reject
 * with undici's errors (`HeadersTimeoutError`, `BodyTimeoutError`, socket errors).
 */
export function exchange(dispatcher: Dispatcher, request: ExchangeRequest): Promise<RockletAnswer> {
  return new Promise<RockletAnswer>((resolve, reject) => {
    dispatcher.dispatch(
      {
        origin: request.origin,
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      },
      new CollectingHandler(resolve, reject),
    );
  });
}
