import { BadRequestError, PortForwardQuerySchema, ROCK_HEADERS, ValidationError, describeIssues } from '@rock/contracts';
import type { IncomingHttpHeaders } from 'node:http';

/** Query parameter naming the target port (API.md §3). */
export const TARGET_PORT_QUERY = 'rock_target_port';

/** What a proxy URL addresses. */
export interface ProxyTarget {
  sandboxId: string;
  port: number;
  /** Path and query to send to the app (the target-port parameter removed). */
  path: string;
}

const PROXY_PATH = /^\/apis\/envs\/sandbox\/v1\/sandboxes\/([^/?#]+)\/proxy(?:\/port\/([^/?#]*))?(\/[^?#]*)?$/;

/** Whether `path` (without query) is a proxy route. */
export function isProxyPath(path: string): boolean {
  return PROXY_PATH.test(path);
}

function validPort(raw: string, field: string): number {
  const parsed = PortForwardQuerySchema.safeParse({ port: raw });
  if (!parsed.success) throw new ValidationError(describeIssues(parsed.error.issues).map((i) => i.replace(/^port/, field)));
  return parsed.data.port;
}

/**
 * Parses `/sandboxes/{id}/proxy[/port/{N}]/{path}`: the port comes from exactly one of the path,
 * the `X-ROCK-Target-Port` header or the `rock_target_port` query (two → 400, none → 400).
 */
export function parseProxyTarget(url: string, headers: IncomingHttpHeaders): ProxyTarget {
  const parsed = new URL(url, 'http://proxy.invalid');
  const match = PROXY_PATH.exec(parsed.pathname);
  if (!match) throw new BadRequestError(`not a proxy path: ${parsed.pathname}`);
  const header = headers[ROCK_HEADERS.targetPort];
  const sources: [string, string][] = [];
  if (match[2] !== undefined) sources.push(['port', match[2]]);
  if (header !== undefined) sources.push([ROCK_HEADERS.targetPort, Array.isArray(header) ? (header[0] ?? '') : header]);
  const query = parsed.searchParams.get(TARGET_PORT_QUERY);
  if (query !== null) sources.push([TARGET_PORT_QUERY, query]);
  if (sources.length > 1) {
    throw new BadRequestError(`target port given ${sources.length} times (${sources.map(([n]) => n).join(', ')}): give exactly one of /port/{N}, X-ROCK-Target-Port or rock_target_port`);
  }
  const source = sources[0];
  if (!source) throw new BadRequestError('target port required: use /proxy/port/{N}/..., the X-ROCK-Target-Port header or the rock_target_port query');
  parsed.searchParams.delete(TARGET_PORT_QUERY);
  const path = `${match[3] ?? '/'}${parsed.searchParams.size > 0 ? `?${parsed.searchParams.toString()}` : ''}`;
  return { sandboxId: decodeURIComponent(match[1] ?? ''), port: validPort(source[1], source[0]), path };
}
