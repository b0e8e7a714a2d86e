/** Connection settings shared by every `@rock/client` object. */
export interface ClientOptions {
  /** Server root, e.g. `http://127.0.0.1:8080`. Default: ROCK_BASE_URL, else `http://127.0.0.1:8080`. */
  baseUrl?: string;
  /** API key sent as `X-API-Key`. Default: ROCK_API_KEY. */
  apiKey?: string;
  /** `X-User-Id` header. Default: ROCK_USER_ID. */
  userId?: string;
  /** `X-Experiment-Id` header. Default: ROCK_EXPERIMENT_ID. */
  experimentId?: string;
  /** `X-Namespace` header. Default: ROCK_NAMESPACE. */
  namespace?: string;
  /** Budget of one HTTP call in ms (default 60 000; commands add their own timeout). */
  requestTimeoutMs?: number;
  /** Retries of idempotent calls on network errors, 429, 502–504 (default 3). */
  retries?: number;
}

/** {@link ClientOptions} with every default applied. */
export interface ResolvedClientOptions {
  baseUrl: string;
  apiKey: string | null;
  headers: Record<string, string>;
  requestTimeoutMs: number;
  retries: number;
}

const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';

/**
 * Applies defaults: explicit options win over ROCK_BASE_URL, ROCK_API_KEY, ROCK_USER_ID,
 * ROCK_EXPERIMENT_ID, ROCK_NAMESPACE. The only place `@rock/client` reads the environment.
 */
export function resolveClientOptions(options: ClientOptions = {}, env: Readonly<Record<string, string | undefined>> = process.env): ResolvedClientOptions {
  const pick = (value: string | undefined, name: string): string | null => {
    const chosen = value ?? env[name];
    return chosen === undefined || chosen.trim() === '' ? null : chosen.trim();
  };
  const baseUrl = (pick(options.baseUrl, 'ROCK_BASE_URL') ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  try {
    new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl: "${baseUrl}" is not a URL`);
  }
  const headers: Record<string, string> = {};
  const userId = pick(options.userId, 'ROCK_USER_ID');
  const experimentId = pick(options.experimentId, 'ROCK_EXPERIMENT_ID');
  const namespace = pick(options.namespace, 'ROCK_NAMESPACE');
  if (userId) headers['x-user-id'] = userId;
  if (experimentId) headers['x-experiment-id'] = experimentId;
  if (namespace) headers['x-namespace'] = namespace;
  const apiKey = pick(options.apiKey, 'ROCK_API_KEY');
  if (apiKey) headers['x-api-key'] = apiKey;
  return { baseUrl, apiKey, headers, requestTimeoutMs: options.requestTimeoutMs ?? 60_000, retries: options.retries ?? 3 };
}
