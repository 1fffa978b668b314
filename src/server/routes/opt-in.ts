import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { activate } from '../../commands/admin.js';
import { fit, type FitOptions, type FitResult } from '../../commands/fit.js';
import { list } from '../../commands/list.js';
import { PldError } from '../../errors.js';
import { parseVersion } from '../../persistence/version.js';
import { booleanField, numberField, requestFields } from '../fields.js';
import { hooksFor } from '../hooks/resolve.js';
import type { RouteGroup, ServerParts } from '../parts.js';

/** The routes a config can switch on with `server.routes` (Palladium needed `add_url_rule` for each). */
export const OPT_IN_ROUTES = ['fit', 'activate', 'update-model-cache', 'traffic'] as const;
export type OptInRoute = (typeof OPT_IN_ROUTES)[number];

const _FIT_FIELDS = ['persist', 'activate', 'evaluate', 'persist_if_better_than'] as const;

/**
 * True when the config's `server.routes` switches the opt-in route on.
 * @example
 * if (routeEnabled(parts, 'update-model-cache')) app.post('/update-model-cache', ...);
 */
export function routeEnabled(parts: ServerParts, route: OptInRoute): boolean {
  const routes = parts.ctx.config.value<{ routes?: readonly string[] }>('server')?.routes ?? [];
  return routes.includes(route);
}

/**
 * `POST /fit` (with `GET /jobs/{id}`) and `POST /activate`, when `server.routes` lists `fit` or
 * `activate`. Both take JSON or form bodies and the query string. `/fit` answers `{"job_id": …}` at
 * once and fits in the background, one fit at a time; `/activate` answers the `/list` body. Both make
 * the server serve the newly active version.
 * @example
 * // config: { "server": { "routes": ["fit", "activate"] }, "server_fit_decorators": [...] }
 * for (const group of ROUTE_GROUPS) await group(parts);
 */
export const optInRoutes: RouteGroup = async (parts) => {
  const wantFit = routeEnabled(parts, 'fit');
  const wantActivate = routeEnabled(parts, 'activate');
  if (!wantFit && !wantActivate) return;
  const fitHooks = wantFit ? await hooksFor(parts, 'server_fit_decorators') : [];
  const activateHooks = wantActivate ? await hooksFor(parts, 'activate_decorators') : [];
  // Form bodies are parsed only here, so /predict keeps refusing them with a clear 400.
  await parts.app.register(async (child: FastifyInstance) => {
    await child.register(formbody);
    if (wantFit) _fitRoutes(child, parts, fitHooks);
    if (wantActivate) _activateRoute(child, parts, activateHooks);
  });
  if (wantFit) {
    parts.declareRoute('/fit', ['POST']);
  }
  if (wantActivate) parts.declareRoute('/activate', ['POST']);
};

function _fitRoutes(app: FastifyInstance, parts: ServerParts, preHandler: Awaited<ReturnType<typeof hooksFor>>): void {
  // The configured `model` is one instance that every fit refits (as in Palladium), so fits must not overlap.
  let queue: Promise<unknown> = Promise.resolve();
  app.post('/fit', { preHandler }, async (request) => {
    const options = _fitOptions(requestFields(request, _FIT_FIELDS));
    const job = queue.then(() => _runFit(parts, options));
    queue = job.catch(() => undefined);
    const id = parts.jobs.start('fit', () => job);
    return { job_id: id };
  });
  app.get<{ Params: { id: string } }>('/jobs/:id', { preHandler }, async (request) => parts.jobs.get(request.params.id));
}

function _activateRoute(app: FastifyInstance, parts: ServerParts, preHandler: Awaited<ReturnType<typeof hooksFor>>): void {
  app.post('/activate', { preHandler }, async (request) => {
    const fields = requestFields(request, ['model_version']);
    const raw = Array.isArray(fields.model_version) ? fields.model_version[0] : fields.model_version;
    if (raw === undefined || raw === '') throw new PldError('PLD_ERR_SERVER_BAD_FIELD', "Field 'model_version' is required", { details: { field: 'model_version' } });
    const version = parseVersion(raw, 'model_version');
    await activate(parts.ctx, version);
    await parts.holder.load();
    return list(parts.ctx);
  });
}

function _fitOptions(fields: Record<string, unknown>): FitOptions {
  return {
    persist: booleanField(fields.persist, 'persist'),
    activate: booleanField(fields.activate, 'activate'),
    evaluate: booleanField(fields.evaluate, 'evaluate'),
    persistIfBetterThan: numberField(fields.persist_if_better_than, 'persist_if_better_than'),
  };
}

async function _runFit(parts: ServerParts, options: FitOptions): Promise<Record<string, unknown>> {
  const result: FitResult = await fit(parts.ctx, options);
  // Serve what was just activated; a failed fit never gets here, so the active model stays.
  if (result.activated) await parts.holder.load();
  return {
    version: result.version ?? null,
    persisted: result.persisted,
    activated: result.activated,
    ...(result.metadata.score_train === undefined ? {} : { score_train: result.metadata.score_train }),
    ...(result.metadata.score_test === undefined ? {} : { score_test: result.metadata.score_test }),
    fit_duration: result.fitDuration,
  };
}
