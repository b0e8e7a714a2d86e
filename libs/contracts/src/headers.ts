/** Request headers with a contract meaning (API.md §1, §2, §7), lower-cased as Node exposes them. */
export const ROCK_HEADERS = {
  requestId: 'x-request-id',
  /** ROCK's own trace header, accepted as a request id. */
  eagleeyeTraceId: 'eagleeye-traceid',
  /** `true` → answer with a matching HTTP status (400/404/409/429/500/503). */
  httpStatus: 'x-rock-http-status',
  apiKey: 'x-api-key',
  authorization: 'authorization',
  retryAfter: 'retry-after',
  /** Proxy target port (API.md §3). */
  targetPort: 'x-rock-target-port',
} as const;

/** The rocklet's port inside every sandbox. */
export const ROCKLET_PORT = 22555;

/** Route prefixes. */
export const SANDBOX_API_PREFIX = '/apis/envs/sandbox/v1';
export const GEM_API_PREFIX = '/apis/v1/envs/gem';
