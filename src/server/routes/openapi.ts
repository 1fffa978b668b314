import type { FastifyInstance } from 'fastify';
import { PACKAGE_VERSION } from '../../version.js';
import { type MountedRoute, openApiDocument } from '../openapi/document.js';
import type { Json } from '../openapi/schemas.js';
import type { RouteGroup, ServerParts } from '../parts.js';
import { oipModelName, primaryService } from './oip.js';

/** Where the OpenAPI document is served. */
export const OPENAPI_PATH = '/openapi.json';
/** Where Swagger UI is served (its assets come from the installed package, never a CDN). */
export const DOCS_PATH = '/docs';

/**
 * True unless the config sets `server.openapi: false`.
 * @example
 * if (openApiEnabled(parts)) ...
 */
export function openApiEnabled(parts: Pick<ServerParts, 'ctx'>): boolean {
  return parts.ctx.config.value<{ openapi?: boolean }>('server')?.openapi !== false;
}

/**
 * `GET /openapi.json` (OpenAPI 3.1) and Swagger UI at `GET /docs`, unless `server.openapi` is false.
 * The document is generated once the server is ready, from the routes actually mounted (collected with
 * an `onRoute` hook, so this group must come first in ROUTE_GROUPS) and from each PredictService's
 * `mapping` and `params`: the same field definitions the service validates requests with, so the two
 * cannot drift apart, and a bad request keeps the service's own 400 and error shape.
 * @example
 * const ROUTE_GROUPS = [openApiRoutes, predictRoutes, ...];
 */
export const openApiRoutes: RouteGroup = async (parts) => {
  if (!openApiEnabled(parts)) return;
  const { app } = parts;
  const routes: MountedRoute[] = [];
  app.addHook('onRoute', (route) => {
    if ((route.schema as { hide?: boolean } | undefined)?.hide) return;
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) routes.push({ method, url: route.url });
  });
  // @fastify/swagger returns the object it was given, so filling it in once every route is known is enough.
  const document: Json = {};
  app.addHook('onReady', async () => {
    Object.assign(document, _document(parts, routes));
  });
  // Imported here, not at the top: every `pld` command loads the server module, only `pld serve` needs these.
  const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([import('@fastify/swagger'), import('@fastify/swagger-ui')]);
  await app.register(async (docs: FastifyInstance) => {
    await docs.register(swagger, { mode: 'static', specification: { document: document as never } });
    await docs.register(swaggerUi, { routePrefix: DOCS_PATH, uiConfig: { deepLinking: true } });
    docs.get(OPENAPI_PATH, async () => docs.swagger());
  });
  parts.declareRoute(OPENAPI_PATH, ['GET', 'HEAD']);
  parts.declareRoute(DOCS_PATH, ['GET', 'HEAD']);
};

// The primary model's OIP names (its service_name and `default`), then every other model's name.
function _oipNames(parts: ServerParts, primary: string): string[] {
  const others = [...parts.models].filter((m) => m !== parts.models.primary && primaryService(m.services) !== undefined).map((m) => m.name);
  return [...new Set([primary, parts.holder.name, ...others])];
}

function _document(parts: ServerParts, routes: readonly MountedRoute[]): Json {
  const { serviceMetadata } = parts;
  const oipService = primaryService(parts.services);
  const oipMounted = routes.some((r) => r.url.startsWith('/v2/'));
  const name = oipModelName(parts);
  return openApiDocument({
    title: oipModelName(parts) === parts.holder.name ? 'Palladium-TS predict server' : oipModelName(parts),
    version: serviceMetadata.service_version === undefined || serviceMetadata.service_version === null ? PACKAGE_VERSION : String(serviceMetadata.service_version),
    serviceMetadata,
    services: parts.services,
    routes: [...routes, { method: 'GET', url: DOCS_PATH }],
    models: [...parts.models].map((model) => ({ name: model.name, services: model.services })),
    ...(oipService !== undefined && oipMounted ? { oip: { names: _oipNames(parts, name), service: oipService } } : {}),
  });
}
