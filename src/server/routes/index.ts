import { PldError } from '../../errors.js';
import type { RouteGroup } from '../parts.js';
import { registerAliveRoute } from './alive.js';
import { registerListRoute } from './list.js';
import { registerPredictRoute } from './predict.js';
import { modelCacheRoutes } from './update-model-cache.js';

/** One predict route per PredictService, at its `entry_point`. */
const predictRoutes: RouteGroup = (parts) => {
  const seen = new Set<string>();
  for (const service of parts.services) {
    if (seen.has(service.entryPoint)) throw new PldError('PLD_ERR_SERVER_ROUTE_CONFLICT', `Two predict services use entry_point '${service.entryPoint}'; give each its own`);
    seen.add(service.entryPoint);
    parts.declareRoute(service.entryPoint, ['GET', 'HEAD', 'POST']);
    registerPredictRoute(parts.app, service, parts.holder);
  }
};

/** Palladium's `/alive` and `/list`. */
const palladiumRoutes: RouteGroup = (parts) => {
  const required = parts.ctx.config.value<{ process_store_required?: string[] }>('alive')?.process_store_required ?? ['model'];
  registerAliveRoute(parts.app, parts.holder, { serviceMetadata: parts.serviceMetadata, required, processMetadata: () => ({}) });
  registerListRoute(parts.app, parts.persister);
  parts.declareRoute('/alive', ['GET', 'HEAD']);
  parts.declareRoute('/list', ['GET', 'HEAD']);
};

/** Every route group the server mounts, in order. A new group is one file in this folder and one line here. */
export const ROUTE_GROUPS: readonly RouteGroup[] = [predictRoutes, palladiumRoutes, modelCacheRoutes];
