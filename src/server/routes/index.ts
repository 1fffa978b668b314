import { PldError } from '../../errors.js';
import type { RouteGroup } from '../parts.js';
import { registerAliveRoute } from './alive.js';
import { startScheduledDatasets } from './datasets.js';
import { registerListRoute } from './list.js';
import { registerPredictRoute } from './predict.js';
import { batchedServiceFor } from '../batching.js';
import { hooksFor } from '../hooks/resolve.js';
import { optInRoutes } from './opt-in.js';
import { metricsRoutes } from './metrics.js';
import { modelCacheRoutes } from './update-model-cache.js';
import { modelRoutes, versionsSummary } from './models.js';
import { oipRoutes } from './oip.js';
import { openApiRoutes } from './openapi.js';
import { uiRoutes } from './ui.js';
import { trafficRoutes } from './traffic.js';

/** One predict route per PredictService, at its `entry_point`, behind its `decorator_list_name` hooks. */
const predictRoutes: RouteGroup = async (parts) => {
  const seen = new Set<string>();
  for (const service of parts.services) {
    if (seen.has(service.entryPoint)) throw new PldError('PLD_ERR_SERVER_ROUTE_CONFLICT', `Two predict services use entry_point '${service.entryPoint}'; give each its own`);
    seen.add(service.entryPoint);
    parts.declareRoute(service.entryPoint, ['GET', 'HEAD', 'POST']);
    const hooks = await hooksFor(parts, service.options?.decorator_list_name ?? 'predict_decorators', (error) => service.responseFromError(error));
    const metrics = parts.metrics;
    const onPredicted = metrics && ((version: number, rows: number) => metrics.predicted(service.entryPoint, version, rows));
    const batched = batchedServiceFor(parts, service);
    const traffic = parts.traffic.get(parts.holder.name);
    registerPredictRoute(parts.app, service, parts.holder, hooks, { maxBatchRows: parts.settings.maxBatchRows, onPredicted, batched, predictionLog: parts.predictionLog, traffic });
  }
};

/** Palladium's `/alive` and `/list`. */
const palladiumRoutes: RouteGroup = async (parts) => {
  const required = parts.ctx.config.value<{ process_store_required?: string[] }>('alive')?.process_store_required ?? ['model'];
  const preHandler = await hooksFor(parts, 'alive_decorators');
  const datasets = await startScheduledDatasets(parts);
  // With several models, the root keeps Palladium's shape for the primary one and adds a summary of all.
  const extra = parts.models.size > 1 ? () => ({ models: Object.fromEntries([...parts.models].map((m) => [m.name, versionsSummary(m)])) }) : undefined;
  registerAliveRoute(parts.app, parts.holder, {
    serviceMetadata: parts.serviceMetadata,
    required,
    processMetadata: () => parts.jobs.processMetadata(),
    preHandler,
    datasets,
    extra,
  });
  // `models` is Palladium's list of versions in /list, so the served models are `model_names` there.
  const names = parts.models.size > 1 ? () => ({ model_names: parts.models.names }) : undefined;
  registerListRoute(parts.app, parts.persister, await hooksFor(parts, 'list_decorators'), '/list', names);
  parts.declareRoute('/alive', ['GET', 'HEAD']);
  parts.declareRoute('/list', ['GET', 'HEAD']);
};

/** Every route group the server mounts, in order. A new group is one file in this folder and one line here. */
// biome-ignore format: one group per line keeps parallel additions from conflicting
export const ROUTE_GROUPS: readonly RouteGroup[] = [
  openApiRoutes, // first: it collects every route mounted after it for /openapi.json
  predictRoutes,
  palladiumRoutes,
  optInRoutes,
  modelCacheRoutes,
  modelRoutes,
  oipRoutes,
  metricsRoutes,
  uiRoutes,
  trafficRoutes,
];
