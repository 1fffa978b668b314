import { randomUUID } from 'node:crypto';
import { hooksFor } from '../hooks/resolve.js';
import { PldError } from '../../errors.js';
import { isCachedUpdatePersister } from '../../persistence/cached.js';
import type { RefreshResult } from '../../service/model-holder.js';
import type { RegisteredModel } from '../models/registry.js';
import type { RouteGroup, ServerParts } from '../parts.js';
import { errorBody } from '../responses.js';

/** Palladium's path for "check the active version now". */
export const UPDATE_MODEL_CACHE_PATH = '/update-model-cache';

/**
 * The model cache of a server whose `model_persister` is a `CachedUpdatePersister`: refreshes the
 * served model on the persister's schedule (stopped when the server closes) and mounts
 * `POST /update-model-cache`, which runs the same refresh now. Palladium needed an explicit
 * `add_url_rule` for the route; here a CachedUpdatePersister is the opt-in, and without one
 * neither the route nor a timer exists.
 *
 * The answer keeps Palladium's `job_id` and adds the outcome, because it is sent when the refresh
 * has finished (Palladium answered at once and ran it as a background job):
 * 200 `{"job_id","status":"finished","info","changed","version","previous","active"}`, where `info`
 * is `"None"` when nothing changed, as in Palladium; when loading the new version fails, 503 with
 * `"status":"error"` and Palladium's error `metadata` (`PLD_ERR_SERVER_MODEL_UPDATE_FAILED`), while
 * the old model keeps serving.
 * @example
 * const ROUTE_GROUPS = [predictRoutes, palladiumRoutes, modelCacheRoutes];
 */
export const modelCacheRoutes: RouteGroup = async (parts) => {
  await mountModelCache(parts, parts.models.primary, UPDATE_MODEL_CACHE_PATH);
};

/**
 * The model cache of one served model (see {@link modelCacheRoutes}) at `path`: starts the scheduled
 * refresh once per model (`schedule: false` when another mount already started it) and mounts the
 * refresh route. Nothing when the model's store is not a `CachedUpdatePersister`.
 * @example
 * await mountModelCache(parts, parts.models.get('fraud'), '/models/fraud/update-model-cache');
 */
export async function mountModelCache(parts: ServerParts, model: RegisteredModel, path: string, schedule = true): Promise<void> {
  const { app, ctx } = parts;
  const { holder, persister } = model;
  if (!isCachedUpdatePersister(persister)) return;
  const options = { checkVersion: persister.checkVersion, log: ctx.log };
  if (schedule && persister.schedule !== undefined) {
    holder.startRefreshing(persister.schedule, options);
    const which = parts.models.size > 1 ? ` of model '${model.name}'` : '';
    ctx.log.info(`Checking the active model version${which} ${persister.schedule.description}`);
    app.addHook('onClose', async () => holder.stopRefreshing());
  }

  const decorators = await hooksFor(parts, 'update_model_cache_decorators');

  parts.declareRoute(path, ['POST']);
  app.post(path, { preHandler: decorators }, async (_request, reply) => {
    const jobId = randomUUID();
    const result = await holder.refresh({ ...options, retryFailed: true });
    const facts = { changed: result.changed, version: result.version, previous: result.previous, active: result.active };
    if (result.error !== undefined) {
      const error = new PldError('PLD_ERR_SERVER_MODEL_UPDATE_FAILED', _failure(result), { cause: result.error });
      return reply.code(error.status).send({ job_id: jobId, status: 'error', info: error.message, ...facts, ...errorBody(error, model.serviceMetadata) });
    }
    const info = result.changed ? `${holder.current?.metadata.factory ?? 'model'} version ${result.version}` : 'None';
    return reply.code(200).send({ job_id: jobId, status: 'finished', info, ...facts });
  });
}
function _failure(result: RefreshResult): string {
  const still = result.version === null ? 'no model is loaded' : `still serving version ${result.version}`;
  const what = result.active === null ? 'Cannot check the active model version' : `Cannot load model version ${result.active}`;
  return `${what}: ${result.error?.message}; ${still}`;
}
