import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { PldError } from '../../errors.js';
import { activationInfo } from '../../commands/activation.js';
import { isCachedUpdatePersister } from '../../persistence/cached.js';
import { startSchedule, type ScheduleHandle } from '../../persistence/schedule-runner.js';
import { parseTrafficPolicy } from '../../traffic/policy.js';
import { checkChallenger, clearStoredPolicy, writeStoredPolicy } from '../../traffic/store.js';
import { hooksFor } from '../hooks/resolve.js';
import type { RouteGroup, ServerParts } from '../parts.js';
import { announceTrafficChange, onTrafficChange } from '../traffic/broadcast.js';
import type { TrafficController } from '../traffic/controller.js';
import { routeEnabled } from './opt-in.js';

/** The admin route of the default model's traffic policy. */
export const TRAFFIC_ADMIN_PATH = '/admin/traffic';
/** The per-model form of the admin route (the same handlers, the model named in the path). */
export const MODEL_TRAFFIC_PATH = '/models/:name/traffic';

const _METHODS = ['GET', 'PUT', 'DELETE'] as const;

/**
 * Traffic policies at runtime. For every served model: puts the store's policy (else the config's
 * `traffic`) in force at start, re-reads it on the model store's refresh schedule (a
 * `CachedUpdatePersister`'s `update_cache_*`) and, in `--workers` mode, at once when another worker
 * announces a change. With `server.routes` listing `traffic`: `GET|PUT|DELETE /admin/traffic` (the
 * default model) and `/models/{name}/traffic`, behind `traffic_decorators` (else `activate_decorators`).
 * PUT checks the policy and its challenger, loads the challenger, stores the policy and puts it in
 * force here; DELETE removes the stored policy (back to the config's); both answer like GET.
 * @example
 * // config: { "server": { "routes": ["traffic"] }, "traffic_decorators": [{ "__factory__": "ApiKeyAuth", "keys": ["${ADMIN_KEY}"] }] }
 * for (const group of ROUTE_GROUPS) await group(parts);
 */
export const trafficRoutes: RouteGroup = async (parts) => {
  const { app, traffic } = parts;
  if (traffic.size === 0) return;
  for (const controller of traffic.values()) await controller.refresh();
  const schedules = _refreshSchedules(parts);
  const stopListening = onTrafficChange((model) => void traffic.get(model)?.refresh());
  app.addHook('onClose', async () => {
    for (const handle of schedules) handle.stop();
    stopListening();
  });
  if (!routeEnabled(parts, 'traffic')) return;
  const hookList = parts.ctx.config.has('traffic_decorators') ? 'traffic_decorators' : 'activate_decorators';
  const preHandler = await hooksFor(parts, hookList);
  const byName = (request: FastifyRequest): TrafficController => _controllerOf(parts, (request.params as { name?: string }).name ?? parts.holder.name);
  for (const path of [TRAFFIC_ADMIN_PATH, MODEL_TRAFFIC_PATH]) _adminRoutes(app, parts, path, preHandler, byName);
  parts.declareRoute(TRAFFIC_ADMIN_PATH, _METHODS);
};

function _adminRoutes(
  app: FastifyInstance,
  parts: ServerParts,
  url: string,
  preHandler: preHandlerAsyncHookHandler[],
  byName: (request: FastifyRequest) => TrafficController,
): void {
  const options = preHandler.length > 0 ? { preHandler } : {};
  app.get(url, options, async (request) => {
    const controller = byName(request);
    // The store is the truth: a change made elsewhere (`pld admin traffic`, another server) shows at once.
    await controller.refresh();
    return controller.status();
  });
  app.put(url, options, async (request, reply: FastifyReply) => {
    const controller = byName(request);
    const policy = parseTrafficPolicy(request.body);
    const persister = controller.persister;
    if (persister.setProperty === undefined) {
      throw new PldError(
        'PLD_ERR_TRAFFIC_STORE_UNSUPPORTED',
        'This model persister cannot store properties, so its traffic policy cannot change at runtime; set `traffic` in the config instead',
      );
    }
    await checkChallenger(persister, policy);
    // Load the challenger first: a version that cannot be loaded is refused before any server sees it.
    await controller.preload(policy);
    const stored = await writeStoredPolicy(persister, policy, activationInfo(parts.ctx));
    await controller.apply(policy, 'store', stored);
    announceTrafficChange(controller.name);
    return reply.send(controller.status());
  });
  app.delete(url, options, async (request) => {
    const controller = byName(request);
    await clearStoredPolicy(controller.persister);
    await controller.refresh();
    announceTrafficChange(controller.name);
    return controller.status();
  });
}

function _controllerOf(parts: ServerParts, name: string): TrafficController {
  const controller = parts.traffic.get(name);
  if (controller !== undefined) return controller;
  throw new PldError('PLD_ERR_TRAFFIC_MODEL_NOT_FOUND', `No model named '${name}' is served here (models: ${[...parts.traffic.keys()].join(', ')})`, { details: { model: name } });
}

function _refreshSchedules(parts: ServerParts): ScheduleHandle[] {
  const { persister } = parts;
  if (!isCachedUpdatePersister(persister) || persister.schedule === undefined) return [];
  const schedule = persister.schedule;
  return [...parts.traffic.values()].map((controller) => startSchedule(schedule, () => controller.refresh()));
}
