import { PldError } from '../../errors.js';
import type { BatchingConfig } from '../../config/batching-schema.js';
import { batchedServiceFor } from '../batching.js';
import { hooksFor } from '../hooks/resolve.js';
import type { RegisteredModel } from '../models/registry.js';
import type { RouteGroup, ServerParts } from '../parts.js';
import { registerAliveRoute } from './alive.js';
import { registerListRoute } from './list.js';
import { registerPredictRoute } from './predict.js';
import { mountModelCache } from './update-model-cache.js';

/** Where each model's routes live: `/models/{name}/...`. */
export const MODELS_PREFIX = '/models';

/**
 * The routes of every served model under `/models/{name}`: each of its PredictServices at
 * `/models/{name}{entry_point}` and, pinned to a stored version, at
 * `/models/{name}/versions/{v}{entry_point}` (404 `PLD_ERR_PERSIST_VERSION_NOT_FOUND` when the store has
 * no such version); `/models/{name}/alive` and `/models/{name}/list` in Palladium's shapes; and
 * `/models/{name}/update-model-cache` when its store is a CachedUpdatePersister (whose schedule runs
 * per model). The primary model answers here too, besides at the root. Routes are concrete per model,
 * not a `:name` parameter, so unknown names are the server's usual 404 and metrics carry each model.
 * @example
 * curl 'localhost:5000/models/fraud/versions/3/predict?amount=12.5'
 */
export const modelRoutes: RouteGroup = async (parts) => {
  const required = parts.ctx.config.value<{ process_store_required?: string[] }>('alive')?.process_store_required ?? ['model'];
  const aliveHooks = await hooksFor(parts, 'alive_decorators');
  const listHooks = await hooksFor(parts, 'list_decorators');
  for (const model of parts.models) {
    const base = `${MODELS_PREFIX}/${model.name}`;
    const routes = await _predictRoutes(parts, model, base);
    registerAliveRoute(parts.app, model.holder, {
      path: `${base}/alive`,
      serviceMetadata: model.serviceMetadata,
      required,
      processMetadata: () => parts.jobs.processMetadata(),
      preHandler: aliveHooks,
      extra: () => ({ model_name: model.name, ...versionsSummary(model) }),
    });
    registerListRoute(parts.app, model.persister, listHooks, `${base}/list`);
    for (const path of [`${base}/alive`, `${base}/list`]) parts.declareRoute(path, ['GET', 'HEAD']);
    // The primary model's schedule is started by the root route group (modelCacheRoutes).
    await mountModelCache(parts, model, `${base}/update-model-cache`, model !== parts.models.primary);
    parts.metrics?.observeModel(model, [...routes, `${base}/alive`, `${base}/list`, `${base}/update-model-cache`]);
  }
};

/**
 * What `/models/{name}/alive` and the root `/alive`'s `models` summary say about a model's versions:
 * the active one, the inactive ones in memory (least recently used first) and the LRU bound.
 * @example
 * versionsSummary(model); // { version: 3, loaded_versions: [1, 2], max_loaded_versions: 3 }
 */
export function versionsSummary(model: RegisteredModel): { version: number | null; loaded_versions: number[]; max_loaded_versions: number } {
  return { version: model.holder.current?.metadata.version ?? null, loaded_versions: model.versions.cached, max_loaded_versions: model.versions.capacity };
}

async function _predictRoutes(parts: ServerParts, model: RegisteredModel, base: string): Promise<string[]> {
  const urls: string[] = [];
  const seen = new Set<string>();
  for (const service of model.services) {
    if (seen.has(service.entryPoint)) {
      throw new PldError('PLD_ERR_SERVER_ROUTE_CONFLICT', `Two predict services of model '${model.name}' use entry_point '${service.entryPoint}'; give each its own`);
    }
    seen.add(service.entryPoint);
    const hooks = await hooksFor(parts, service.options?.decorator_list_name ?? 'predict_decorators', (error) => service.responseFromError(error));
    const metrics = parts.metrics;
    const onPredicted = metrics && ((version: number, rows: number) => metrics.predicted(service.entryPoint, version, rows, model.name));
    const batched = batchedServiceFor(parts, service, model.name, model.ctx.config.value<BatchingConfig>('batching'));
    const traffic = parts.traffic.get(model.name);
    const options = { maxBatchRows: parts.settings.maxBatchRows, onPredicted, batched, predictionLog: parts.predictionLog, traffic };
    const url = `${base}${service.entryPoint}`;
    const pinned = `${base}/versions/:version${service.entryPoint}`;
    registerPredictRoute(parts.app, service, model.holder, hooks, { ...options, url });
    registerPredictRoute(parts.app, service, model.holder, hooks, { ...options, url: pinned, pinned: model.versions });
    parts.declareRoute(url, ['GET', 'HEAD', 'POST']);
    urls.push(url, pinned);
  }
  return urls;
}
