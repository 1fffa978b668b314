import Fastify, { type FastifyInstance } from 'fastify';
import type { CommandContext } from '../commands/context.js';
import { DEFAULT_MODEL } from '../config/models.js';
import { PldError } from '../errors.js';
import type { ModelHolder } from '../service/model-holder.js';
import type { PredictService } from '../service/predict-service.js';
import { errorBody, fromFastifyError } from './responses.js';
import { JobRegistry } from './jobs.js';
import { metricsEnabled, ServerMetrics } from './metrics.js';
import { observeRequests, recordRequest, requestIdGenerator } from './observe.js';
import { clientErrorHandler, httpServerFactory, serverSettings } from './settings.js';
import { attachPredictionLog } from './prediction-log/attach.js';
import { createModelRegistry, type ModelRegistry } from './models/registry.js';
import type { ServerParts } from './parts.js';
import { ROUTE_GROUPS } from './routes/index.js';
import { createTrafficController } from './traffic/setup.js';
import { configuredTrafficPolicy } from '../traffic/config.js';

/** Server options beyond the config. */
export interface ServerOptions {
  /** Log one line per request (method, url, status, time). */
  readonly logRequests?: boolean;
  /** Answer every request with `x-pld-worker: <pid>` (`--workers` mode sets it). */
  readonly workerHeader?: boolean;
}

/** A built, not yet listening, server and the model it serves. */
export interface PldServer {
  readonly app: FastifyInstance;
  /** The primary model's holder (the one `/predict` serves). */
  readonly holder: ModelHolder;
  /** The primary model's services. */
  readonly services: readonly PredictService[];
  /** Every model the server serves (one, `default`, without a `models` section). */
  readonly models: ModelRegistry;
  /** The Prometheus metrics, unless `metrics: false`. */
  readonly metrics?: ServerMetrics;
}

/** The default name of the one model a single-model config serves; every cache and route is keyed by it. */
export const DEFAULT_MODEL_NAME = DEFAULT_MODEL;

/**
 * Builds the fastify app for a config: one predict route per PredictService (`predict_service` and every
 * top-level key whose factory is a service, see `serviceKeys`), `/alive`, `/list` and the opt-in routes. Loads the active model
 * before returning; the app still starts without one (`/alive` answers 503 until a model exists).
 * @example
 * const { app } = await createServer(ctx);
 * await app.listen({ port: 5000 });
 */
export async function createServer(ctx: CommandContext, options: ServerOptions = {}): Promise<PldServer> {
  const { config, log } = ctx;
  const models = await createModelRegistry(ctx);
  const { persister, holder, services, serviceMetadata } = models.primary;
  const settings = serverSettings(config);
  const app = Fastify({
    logger: false,
    bodyLimit: settings.bodyLimit,
    serverFactory: httpServerFactory(settings),
    clientErrorHandler: clientErrorHandler(settings, serviceMetadata),
    genReqId: requestIdGenerator(),
    requestIdHeader: false,
  });
  const known = new Map<string, string[]>();
  // The store's connections (a Database persister's pool) end with the server.
  app.addHook('onClose', async () => {
    await models.close();
  });
  // Before any route exists: the metrics and request log attach to each route as it is added.
  const metrics = metricsEnabled(config) ? new ServerMetrics(holder) : undefined;
  for (const model of models) metrics?.observeModel(model);
  const logRequests = options.logRequests || config.value<{ log_requests?: boolean }>('server')?.log_requests;
  const observed = { metrics, log: logRequests ? log : undefined, holder, workerHeader: options.workerHeader };
  observeRequests(app, observed);
  const predictionLog = await attachPredictionLog(ctx, app, metrics);

  app.setErrorHandler((error, request, reply) => {
    const pld = fromFastifyError(error, settings.bodyLimit);
    if (pld.status >= 500) log.error(`Unexpected error (req_id=${request.id}): ${pld.message}`);
    return reply.code(pld.status).send(errorBody(pld, serviceMetadata));
  });
  app.setNotFoundHandler((request, reply) => {
    const start = performance.now();
    const path = request.url.split('?')[0];
    const allowed = known.get(path);
    const error = allowed
      ? new PldError('PLD_ERR_SERVER_METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; use ${allowed.join(' or ')}`)
      : new PldError('PLD_ERR_SERVER_ROUTE_NOT_FOUND', `No route for ${request.method} ${path}`);
    if (allowed) reply.header('allow', allowed.join(', '));
    reply.raw.once('finish', () => recordRequest(observed, undefined, request, reply, performance.now() - start));
    return reply.code(error.status).send(errorBody(error, serviceMetadata));
  });

  const parts: ServerParts = {
    app,
    // Activations made through the server's routes (/activate, /fit, the dashboard) are recorded as
    // `via: 'http'` in the history, whatever started the server.
    ctx: { ...ctx, via: 'http' },
    persister,
    holder,
    services,
    serviceMetadata,
    models,
    jobs: new JobRegistry(),
    // One policy per model: its `traffic` key, or what `pld admin traffic --model NAME` stored in its store.
    traffic: new Map(
      [...models].map((served) => [
        served.name,
        createTrafficController({ holder: served.holder, configured: configuredTrafficPolicy(served.ctx.config), log, registry: metrics?.registry }),
      ]),
    ),
    metrics,
    settings,
    predictionLog,
    declareRoute: (path, methods) => known.set(path, [...new Set([...(known.get(path) ?? []), ...methods])]),
  };
  for (const group of ROUTE_GROUPS) await group(parts);

  await Promise.all([...models].map((served) => _loadFirst(served.holder, models.size > 1, ctx)));
  if (models.size > 1) log.info(`Serving ${models.size} models at /models/{name}/...: ${models.names.join(', ')}; the root routes serve '${models.primary.name}'`);
  return { app, holder, services, models, metrics };
}

async function _loadFirst(holder: ModelHolder, named: boolean, ctx: CommandContext): Promise<void> {
  const model = await holder.load();
  const which = named ? `model '${holder.name}'` : 'model';
  if (model) ctx.log.info(`Loaded ${which} version ${model.metadata.version}`);
  else ctx.log.warn(`No ${which} loaded yet (${holder.lastError?.message ?? 'unknown reason'}); /alive answers 503 until one is`);
}
