import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { remove } from '../../commands/admin.js';
import { list } from '../../commands/list.js';
import { rollback } from '../../commands/rollback.js';
import { PldError } from '../../errors.js';
import { parseVersion } from '../../persistence/version.js';
import { hooksFor } from '../hooks/resolve.js';
import type { RouteGroup, ServerParts } from '../parts.js';
import { errorBody } from '../responses.js';
import type { ServerConfig } from '../settings.js';
import { routeEnabled } from './opt-in.js';

/** Where the dashboard lives. */
export const UI_PATH = '/ui';

/** The static files and their content types; read once, they are a few kilobytes. */
const _ASSETS: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'prom-text.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

// The same relative path from src/server/routes and dist/server/routes (scripts/copy-ui.mjs copies them).
const _ASSET_DIR = new URL('../ui/assets/', import.meta.url);

// Only our own files: no inline script, no third-party origin, no framing by other sites.
const _CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

/**
 * The web dashboard: `GET /ui` (one page, hash-routed sections) and its static files, plus three JSON
 * routes the other endpoints do not cover. `GET /ui/api/services` (behind `list_decorators`) tells the
 * page which predict services exist (entry point, `mapping`) and whether the admin and metrics routes
 * are on. `POST /ui/api/rollback` and `DELETE /ui/api/models/{version}` (inactive versions only) act
 * on the store behind the `activate_decorators` hooks, like `POST /activate`; without `activate` in
 * `server.routes` they answer 403 `PLD_ERR_SERVER_UI_READ_ONLY` and the page is read-only.
 * `server.ui: false` mounts none of this.
 * @example
 * const ROUTE_GROUPS = [predictRoutes, palladiumRoutes, optInRoutes, uiRoutes];
 */
export const uiRoutes: RouteGroup = async (parts) => {
  if (parts.ctx.config.value<ServerConfig>('server')?.ui === false) return;
  const { app } = parts;
  const files = new Map(Object.entries(_ASSETS).map(([name, type]) => [name, { type, body: readFileSync(new URL(name, _ASSET_DIR)) }]));
  const send = (reply: FastifyReply, name: string) => {
    const file = files.get(name)!;
    // Revalidate on every load, so an upgraded server never runs an old app.js against new routes.
    return reply
      .header('content-type', file.type)
      .header('cache-control', 'no-cache')
      .header('content-security-policy', _CSP)
      .header('x-content-type-options', 'nosniff')
      .send(file.body);
  };
  app.get(UI_PATH, async (_request, reply) => send(reply, 'index.html'));
  app.get(`${UI_PATH}/`, async (_request, reply) => send(reply, 'index.html'));
  parts.declareRoute(UI_PATH, ['GET', 'HEAD']);
  parts.declareRoute(`${UI_PATH}/`, ['GET', 'HEAD']);
  for (const name of files.keys()) {
    if (name === 'index.html') continue;
    app.get(`${UI_PATH}/${name}`, async (_request, reply) => send(reply, name));
    parts.declareRoute(`${UI_PATH}/${name}`, ['GET', 'HEAD']);
  }
  await _apiRoutes(app, parts);
};

async function _apiRoutes(app: FastifyInstance, parts: ServerParts): Promise<void> {
  const admin = routeEnabled(parts, 'activate');
  const listHooks = await hooksFor(parts, 'list_decorators');
  app.get(`${UI_PATH}/api/services`, { preHandler: listHooks }, async () => ({
    admin,
    metrics: parts.metrics !== undefined,
    services: parts.services.map((service) => ({ entry_point: service.entryPoint, mapping: service.options.mapping })),
  }));
  parts.declareRoute(`${UI_PATH}/api/services`, ['GET', 'HEAD']);

  // Refused before the hooks run: without `activate` there is nothing to authenticate for.
  const readOnly = admin ? [] : [_readOnly(parts)];
  const adminHooks = admin ? await hooksFor(parts, 'activate_decorators') : [];
  const preHandler = [...readOnly, ...adminHooks];
  app.post(`${UI_PATH}/api/rollback`, { preHandler }, async () => {
    const { version, from } = await rollback(parts.ctx);
    await parts.holder.load();
    return { version, from, ...(await list(parts.ctx)) };
  });
  app.delete<{ Params: { version: string } }>(`${UI_PATH}/api/models/:version`, { preHandler }, async (request) => {
    const version = parseVersion(request.params.version, 'version');
    // Without force the store refuses the active version (PLD_ERR_PERSIST_ACTIVE_DELETE, 409).
    await remove(parts.ctx, version);
    return list(parts.ctx);
  });
  parts.declareRoute(`${UI_PATH}/api/rollback`, ['POST']);
}

function _readOnly(parts: ServerParts) {
  return async (_request: unknown, reply: FastifyReply) => {
    const error = new PldError(
      'PLD_ERR_SERVER_UI_READ_ONLY',
      "The dashboard is read-only: add 'activate' to the config's server.routes to activate, roll back and delete versions (guarded by activate_decorators)",
    );
    return reply.code(error.status).send(errorBody(error, parts.serviceMetadata));
  };
}
