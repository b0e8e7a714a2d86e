import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AuthenticationError, ROCK_HEADERS } from '@rock/contracts';
import type { FastifyRequest } from 'fastify';
import { setPrincipal } from './request-state';

/** Authentication settings (from `RockConfig.auth`). */
export interface ApiKeyAuthOptions {
  enabled: boolean;
  /** API key → principal. */
  apiKeys: ReadonlyMap<string, string>;
}

/** The key a request presents: `X-API-Key`, else `Authorization: Bearer <key>`. */
export function presentedApiKey(headers: FastifyRequest['headers']): string | null {
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
    const key = presentedApiKey(request.headers);
    const principal = key === null ? undefined : this.options.apiKeys.get(key);
    if (principal === undefined) throw new AuthenticationError();
    setPrincipal(request, principal);
    return true;
  }
}
