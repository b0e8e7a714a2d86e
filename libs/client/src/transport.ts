import { CommandError, errorForCode, errorForHttpStatus, InternalError, RockError } from './errors';
import type { ResolvedClientOptions } from './client.config';

/** Path prefix of the sandbox API (API.md §2–3). */
export const SANDBOX_PREFIX = '/apis/envs/sandbox/v1';
/** Path prefix of the GEM API (API.md §4). */
export const GEM_PREFIX = '/apis/v1/envs/gem';

/** One call's shape. */
export interface CallOptions {
  method?: 'GET' | 'POST';
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Safe to repeat: retried with backoff on network errors and 429/502/503/504. */
  idempotent?: boolean;
  /** Budget of this call in ms (default: the client's `requestTimeoutMs`). */
  timeoutMs?: number;
}

/** A request body fetch accepts. */
export type RequestBody = NonNullable<RequestInit['body']>;

/** {@link CallOptions} plus raw-body fields for streamed uploads. */
export interface FetchOptions extends CallOptions {
  headers?: Record<string, string>;
  rawBody?: RequestBody;
  /** Stream the request body (`duplex: 'half'`). */
  duplex?: boolean;
}

interface EnvelopeBody {
  status?: string;
  message?: string | null;
  error?: string | null;
  result?: unknown;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The HTTP layer of the SDK: headers, timeouts, retries of idempotent calls, envelope → typed errors. */
export class RockTransport {
  constructor(readonly options: ResolvedClientOptions) {}

  /** Absolute URL of `path` with `query`. */
  url(path: string, query: CallOptions['query'] = {}): string {
    const url = new URL(this.options.baseUrl + path);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    return url.toString();
  }

  /** Sends one request with the client headers and a deadline; retries idempotent calls. */
  async fetch(path: string, call: FetchOptions): Promise<Response> {
    const attempts = call.idempotent ? this.options.retries + 1 : 1;
    const timeoutMs = call.timeoutMs ?? this.options.requestTimeoutMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const response = await this.once(path, call, timeoutMs);
        if (attempt < attempts && RETRY_STATUSES.has(response.status)) {
          await response.body?.cancel();
          await sleep(this.backoffMs(attempt, response));
          continue;
        }
        return response;
      } catch (error) {
        if (attempt >= attempts || isTimeout(error)) throw transportError(error, path, timeoutMs);
        await sleep(this.backoffMs(attempt, null));
      }
    }
  }

  private once(path: string, call: FetchOptions, timeoutMs: number): Promise<Response> {
    const headers: Record<string, string> = { ...this.options.headers, ...call.headers };
    let body: RequestBody | undefined = call.rawBody;
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.body);
    }
    const init: RequestInit & { duplex?: 'half' } = { method: call.method ?? 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) };
    if (call.duplex) init.duplex = 'half';
    return fetch(this.url(path, call.query), init);
  }

  private backoffMs(attempt: number, response: Response | null): number {
    const retryAfter = Number(response?.headers.get('retry-after') ?? NaN);
    if (Number.isFinite(retryAfter) && retryAfter >= 0) return Math.min(retryAfter * 1000, 10_000);
    return Math.min(200 * 2 ** (attempt - 1), 5_000) * (0.5 + Math.random() / 2);
  }

  /** A sandbox-API call: unwraps `{status, message, error, result}` or throws the matching {@link RockError}. */
  async envelope<T>(route: string, call: FetchOptions = {}): Promise<T> {
    const response = await this.fetch(`${SANDBOX_PREFIX}/${route}`, call);
    const text = await response.text();
    const body = parseJson(text) as EnvelopeBody | null;
    if (!body || typeof body !== 'object' || !('status' in body)) {
      throw errorForHttpStatus(response.status >= 400 ? response.status : 500, `${route}: unexpected answer (HTTP ${response.status}): ${text.slice(0, 200)}`);
    }
    if (body.status === 'Success') return body.result as T;
    throw envelopeError(route, body, response.status);
  }

  /** A GEM call (bare JSON, errors as `{detail}` with an HTTP status). */
  async gem<T>(route: string, body: unknown, call: CallOptions = {}): Promise<T> {
    const response = await this.fetch(`${GEM_PREFIX}/${route}`, { ...call, body });
    const text = await response.text();
    const parsed = parseJson(text) as { detail?: unknown } | null;
    if (response.ok && parsed !== null) return parsed as T;
    const detail = parsed && typeof parsed.detail === 'string' ? parsed.detail : text.slice(0, 200);
    throw errorForHttpStatus(response.status, `gem ${route}: ${detail}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function envelopeError(route: string, body: EnvelopeBody, httpStatus: number): RockError {
  const result = body.result as { code?: unknown; exit_code?: unknown; failure_reason?: unknown } | null | undefined;
  const reason = body.error ?? body.message ?? 'failed';
  const message = body.message && body.message !== reason ? `${body.message}: ${reason}` : reason;
  const code = typeof result?.code === 'number' ? result.code : body.message === 'invalid parameter' ? 4000 : httpStatus >= 400 && httpStatus < 500 ? 4000 : 5000;
  if (code >= 6000 && code < 7000) {
    const exitCode = typeof result?.exit_code === 'number' ? result.exit_code : null;
    return new CommandError(message, exitCode, typeof result?.failure_reason === 'string' ? result.failure_reason : '', code);
  }
  return errorForCode(code, message, httpStatus === 200 ? null : httpStatus);
}

/** Duck-typed: DOMException may come from another realm (fetch's), so `instanceof Error` is unreliable. */
function isTimeout(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, cause } = error as { name?: unknown; cause?: unknown };
  return name === 'TimeoutError' || name === 'AbortError' || isTimeout(cause);
}

function transportError(error: unknown, path: string, timeoutMs: number): RockError {
  if (error instanceof RockError) return error;
  if (isTimeout(error)) return new InternalError(`${path}: no answer within ${timeoutMs} ms`);
  const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return new InternalError(`${path}: cannot reach the ROCK server (${cause})`);
}
