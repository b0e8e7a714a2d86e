import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * OpenAPI description of a plain Fastify route (hot paths and streaming routes registered next to
 * the Nest controllers): put it in the route's `config` as `{ openapi: PlainRouteDoc }` and the
 * service's `/docs` lists the route like a controller method.
 */
export interface PlainRouteDoc {
  summary: string;
  tags: string[];
  /** OpenAPI `operationId` (kept stable when a controller method becomes a plain route). */
  operationId?: string;
}

/** Route `config` carrying a {@link PlainRouteDoc}. */
export interface DocumentedRouteConfig {
  openapi?: PlainRouteDoc;
}

interface CollectedRoute {
  methods: string[];
  url: string;
  doc: PlainRouteDoc;
}

/** OpenAPI path template of a Fastify URL (`/x/:id` → `/x/{id}`). */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Collects documented plain routes as they are registered, and adds them to a document. */
export class PlainRouteDocs {
  private readonly routes: CollectedRoute[] = [];

  /** Watches `fastify` for documented routes; call before any is registered. */
  watch(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', (route: RouteOptions) => {
      const doc = (route.config as DocumentedRouteConfig | undefined)?.openapi;
      if (!doc) return;
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
      this.routes.push({ methods, url: route.url, doc });
    });
  }

  /** `document` with every collected route added under its path (existing operations kept). */
  addTo(document: OpenAPIObject): OpenAPIObject {
    for (const route of this.routes) {
      const path = openApiPath(route.url);
      const item: Record<string, unknown> = { ...(document.paths[path] ?? {}) };
      for (const method of route.methods) {
        item[method.toLowerCase()] ??= {
          ...(route.doc.operationId ? { operationId: route.doc.operationId } : {}),
          summary: route.doc.summary,
          tags: route.doc.tags,
          security: [{ 'api-key': [] }],
          responses: { '200': { description: route.doc.summary } },
        };
      }
      document.paths[path] = item;
    }
    return document;
  }
}
