import { RockletCallError } from '@rock/contracts';
import type { RockletOutcome } from '@rock/observability';
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { Readable } from 'node:stream';
import { rockletErrorFrom, RockletTimeoutError, RockletUnreachableError } from './rocklet-errors';
import { exchange, type RockletAnswer } from './rocklet-exchange';

/** Where and as whom one call reaches a sandbox's rocklet. */
export interface RockletTarget {
  /** Base URL, e.g. `http://10.0.0.5:22555`. */
  url: string;
  /** Bearer token the rocklet requires (`null`: none). */
  token: string | null;
  /** Forwarded as `X-Request-Id`. */
  requestId: string;
}

/** One rocklet call. */
export interface RockletCall {
  /** Metric label and error text (`execute`, `run_in_session`, …). */
  operation: string;
  method: 'GET' | 'POST';
  /** Path with query, e.g. `/download?path=%2Ftmp%2Fx`. */
  path: string;
  /**
   * Deadline, ms: for buffered calls the answer's headers must arrive, and no gap in its body may
   * last, longer than this (undici's header/body timeouts; answers are small, so in effect a
   * whole-call deadline); streamed calls are also aborted once it passes.
   */
  timeoutMs: number;
  /** JSON body (serialised) or a stream (sent as is, with `headers` naming its type). */
  json?: unknown;
  stream?: Readable | AsyncIterable<Uint8Array>;
  headers?: Record<string, string>;
}

/** Records a rocklet call's duration by operation and outcome. */
export type RockletCallObserver = (operation: string, outcome: RockletOutcome, seconds: number) => void;

/** Options of {@link RockletClient}. */
export interface RockletClientOptions {
  connectTimeoutMs: number;
  observe?: RockletCallObserver;
}

function outcomeOf(error: unknown): RockletOutcome {
  if (error instanceof RockletTimeoutError) return 'timeout';
  if (error instanceof RockletUnreachableError) return 'unreachable';
  return 'error';
}

/**
 * HTTP client of every sandbox's rocklet (API.md §5): one undici {@link Agent} keeps a keep-alive
 * connection pool per rocklet address; every call has a deadline, carries the sandbox token as
 * Bearer and the request id as `X-Request-Id`, and is timed by operation. Error answers become
 * ROCK's typed errors (see `rockletErrorFrom`).
 */
export class RockletClient {
  private readonly agent: Agent;

  constructor(private readonly options: RockletClientOptions) {
    this.agent = new Agent({
      connections: 128,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 60_000,
      connect: { timeout: options.connectTimeoutMs },
    });
  }

  /** Sends a call and parses the JSON answer; error answers throw typed errors. */
  async json<T>(target: RockletTarget, call: RockletCall): Promise<T> {
    if (call.stream === undefined) return JSON.parse((await this.forward(target, call)).body.toString()) as T;
    const started = process.hrtime.bigint();
    try {
      const response = await this.send(target, call);
      const text = await response.body.text();
      if (response.statusCode >= 400) throw rockletErrorFrom(call.operation, response.statusCode, text);
      this.observe(call.operation, 'success', started);
      return JSON.parse(text) as T;
    } catch (error) {
      this.observe(call.operation, outcomeOf(error), started);
      throw error;
    }
  }

  /**
   * Sends a call with a JSON (or no) body and resolves with the rocklet's success answer as raw
   * bytes, for routes that pass them on unchanged (the hot path: no stream, no re-serialising).
   * Error answers and transport failures throw typed errors.
   */
  async forward(target: RockletTarget, call: Omit<RockletCall, 'stream'>): Promise<RockletAnswer> {
    const started = process.hrtime.bigint();
    const headers = ['x-request-id', target.requestId];
    if (target.token) headers.push('authorization', `Bearer ${target.token}`);
    if (call.headers) for (const [name, value] of Object.entries(call.headers)) headers.push(name, value);
    if (call.json !== undefined) headers.push('content-type', 'application/json');
    try {
      const answer = await exchange(this.agent, {
        origin: target.url, method: call.method, path: call.path, headers, timeoutMs: call.timeoutMs,
        body: call.json === undefined ? null : JSON.stringify(call.json),
      }).catch((error: unknown) => {
        throw this.transportError(call, error);
      });
      if (answer.statusCode >= 400) throw rockletErrorFrom(call.operation, answer.statusCode, answer.body.toString());
      this.observe(call.operation, 'success', started);
      return answer;
    } catch (error) {
      this.observe(call.operation, outcomeOf(error), started);
      throw error;
    }
  }

  /**
   * Sends a call and returns the streaming answer (download, proxy); error answers are read and
   * thrown. The caller must consume or destroy `body`.
   */
  async open(target: RockletTarget, call: RockletCall): Promise<Dispatcher.ResponseData> {
    const started = process.hrtime.bigint();
    try {
      const response = await this.send(target, call);
      if (response.statusCode >= 400) {
        throw rockletErrorFrom(call.operation, response.statusCode, await response.body.text());
      }
      this.observe(call.operation, 'success', started);
      return response;
    } catch (error) {
      this.observe(call.operation, outcomeOf(error), started);
      throw error;
    }
  }

  private async send(target: RockletTarget, call: RockletCall): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = { 'x-request-id': target.requestId, ...call.headers };
    if (target.token) headers.authorization = `Bearer ${target.token}`;
    let body: string | Readable | undefined = call.stream && !(call.stream instanceof Readable) ? Readable.from(call.stream) : call.stream;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    }
    try {
      return await this.agent.request({
        origin: target.url,
        path: call.path,
        method: call.method,
        headers,
        body,
        headersTimeout: call.timeoutMs,
        bodyTimeout: call.timeoutMs,
        signal: AbortSignal.timeout(call.timeoutMs),
      });
    } catch (error) {
      throw this.transportError(call, error);
    }
  }

  private transportError(call: Pick<RockletCall, 'operation' | 'timeoutMs'>, error: unknown): RockletCallError {
    const text = error instanceof Error ? error.message : String(error);
    const timedOut =
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError ||
      (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
    if (timedOut) {
      return new RockletTimeoutError(call.operation, `rocklet ${call.operation} did not answer within ${call.timeoutMs} ms`, { cause: error });
    }
    return new RockletUnreachableError(call.operation, `rocklet ${call.operation} unreachable: ${text}`, { cause: error });
  }

  private observe(operation: string, outcome: RockletOutcome, started: bigint): void {
    this.options.observe?.(operation, outcome, Number(process.hrtime.bigint() - started) / 1e9);
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}
