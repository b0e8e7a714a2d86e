import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AuthenticationError, ROCK_HEADERS } from '@rock/contracts';
import type { FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { ANONYMOUS_PRINCIPAL, setPrincipal } from './request-state';

/** Authentication settings (from `RockConfig.auth`). */
export interface ApiKeyAuthOptions {
  enabled: boolean;
  /** API key → principal. */
  apiKeys: ReadonlyMap<string, string>;
}

/** The key a request presents: `X-API-Key`, else `Authorization: Bearer <key>`. */
export function presentedApiKey(headers: IncomingHttpHeaders): string | null {
  const direct = headers[ROCK_HEADERS.apiKey];
  const key = (Array.isArray(direct) ? direct[0] : direct)?.trim();
  if (key) return key;
  const auth = headers[ROCK_HEADERS.authorization];
  const match = /^Bearer\s+(\S+)\s*$/i.exec((Array.isArray(auth) ? auth[0] : auth) ?? '');
  return match?.[1] ?? null;
}

/**
 * API-key authentication (API.md §7): when enabled, every API route needs a configured key and
 * the request's principal is the key's owner; when disabled every caller is anonymous.
 * Health, readiness, metrics and docs are plain Fastify routes outside Nest, so never guarded.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly options: ApiKeyAuthOptions) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.options.enabled) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    setPrincipal(request, principalFromHeaders(request.headers, this.options));
    return true;
  }
}

/**
 * The principal of a request, checked the way {@link ApiKeyGuard} checks Nest routes: for plain
 * Fastify routes (hot paths, streaming, upgrades). {@link ANONYMOUS_PRINCIPAL} when auth is off;
 * throws {@link AuthenticationError} (401) for a missing or unknown key.
 */
export function principalFromHeaders(headers: IncomingHttpHeaders, options: ApiKeyAuthOptions): string {
  if (!options.enabled) return ANONYMOUS_PRINCIPAL;
  const key = presentedApiKey(headers);
  const principal = key === null ? undefined : options.apiKeys.get(key);
  if (principal === undefined) throw new AuthenticationError();
  return principal;
}
