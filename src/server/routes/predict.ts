import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { PldError } from '../../errors.js';
import type { LoadedModel } from '../../persistence/model.js';
import type { BatchedService } from '../../service/batched-service.js';
import type { ModelHolder } from '../../service/model-holder.js';
import type { ModelVersions } from '../models/versions.js';
import type { PredictInput, PredictResponse, PredictService } from '../../service/predict-service.js';
import type { PredictionLog } from '../prediction-log/prediction-log.js';
import { fromFastifyError } from '../responses.js';
import { markAnswered } from '../traffic/answered.js';
import type { Routed, TrafficController } from '../traffic/controller.js';

/** Limits and counters of a predict route. */
export interface PredictRouteOptions {
  /** `server.max_batch_rows`: a longer POST batch is a 413 before anything is converted. */
  readonly maxBatchRows?: number;
  /** Called after each successful prediction with the model version and the number of rows (metrics). */
  readonly onPredicted?: (version: number, rows: number) => void;
  /** The service with micro-batching (config `batching`); it answers instead of the service itself. */
  readonly batched?: BatchedService;
  /** Sampled successful answers are logged here (`prediction_log`). */
  readonly predictionLog?: PredictionLog;
  /** The model's traffic policy: which version answers, and whether a challenger shadows it. */
  readonly traffic?: TrafficController;
  /** Where to mount the service; default its `entry_point` (`/models/{name}/predict` for a named model). */
  readonly url?: string;
  /**
   * Serve the version named by the route's `:version` parameter from this LRU instead of the active one
   * (`/models/{name}/versions/{v}/predict`); a missing version is the service's 404 answer.
   */
  readonly pinned?: ModelVersions;
}

/**
 * Mounts one PredictService at its `entry_point` for GET (one sample from the query string) and POST
 * (a JSON list of samples). The route only adapts HTTP to the service; errors of any kind, including
 * unparsable bodies, come back through the service's `responseFromError` with its metadata.
 */
export function registerPredictRoute(
  app: FastifyInstance,
  service: PredictService,
  holder: ModelHolder,
  preHandler: preHandlerAsyncHookHandler[] = [],
  options: PredictRouteOptions = {},
): void {
  const maxRows = options.maxBatchRows ?? Number.POSITIVE_INFINITY;
  const predictionLog = options.predictionLog;
  const traffic = options.traffic;
  // Built once: the hot path allocates nothing for its route.
  const route: _Route = { service, answering: options.batched ?? service, holder, traffic, predictionLog, counted: options.onPredicted };
  app.route({
    ...(preHandler.length > 0 ? { preHandler } : {}),
    method: ['GET', 'POST'],
    url: options.url ?? service.entryPoint,
    errorHandler: (error, request, reply) => {
      const response = service.responseFromError(fromFastifyError(error, request.routeOptions.bodyLimit));
      return reply.code(response.status).send(response.body);
    },
    handler: (request, reply) => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const batch = request.method === 'POST';
      const input: PredictInput = batch ? { kind: 'batch', body: request.body, query } : { kind: 'single', sample: query, query };
      const rows = batch ? (Array.isArray(request.body) ? request.body.length : 0) : 1;
      if (rows > maxRows) {
        const error = new PldError('PLD_ERR_SERVER_TOO_MANY_ROWS', `The batch has ${rows} rows, more than server.max_batch_rows (${maxRows}); split it into smaller requests`);
        return _send(reply, service.responseFromError(error));
      }
      // Only sampled requests (`started` set) reach the log; the others pay one random draw, no allocation.
      const started = predictionLog?.sample(request.headers);
      if (options.pinned !== undefined) {
        // A pinned version is what the client asked for: no traffic policy applies.
        const loaded = _pinned(options.pinned, (request.params as { version?: string }).version);
        return loaded.then(
          (model) => _send(reply, _respond(route, request, model, input, started), route.counted, model, rows),
          (error) => _send(reply, service.responseFromError(error)),
        );
      }
      const routed = traffic?.route(request.headers, query);
      if (routed !== undefined) return _routed(request, reply, route, input, rows, routed, started);
      const model = holder.current;
      if (model !== undefined) return _send(reply, _respond(route, request, model, input, started), route.counted, model, rows);
      return holder.get().then(
        (loaded) => _send(reply, _respond(route, request, loaded, input, started), route.counted, loaded, rows),
        (error) => _send(reply, service.responseFromError(error)),
      );
    },
  });
}

function _pinned(versions: ModelVersions, version: string | undefined): Promise<LoadedModel> {
  if (version === undefined || !/^[1-9]\d{0,15}$/.test(version)) {
    return Promise.reject(
      new PldError('PLD_ERR_PERSIST_VERSION_NOT_FOUND', `Model '${versions.name}' has no version '${version ?? ''}'; versions are positive integers`, { details: { version } }),
    );
  }
  return versions.get(Number(version));
}

// Plain arguments rather than a closure: the hot path allocates nothing for the counter.
function _send(
  reply: FastifyReply,
  response: PredictResponse | Promise<PredictResponse>,
  counted?: (version: number, rows: number) => void,
  model?: LoadedModel,
  rows = 0,
): FastifyReply | Promise<FastifyReply> {
  if (response instanceof Promise) return response.then((resolved) => _send(reply, resolved, counted, model, rows));
  if (counted !== undefined && model !== undefined && response.status === 200) counted(model.metadata.version, rows);
  return reply.code(response.status).send(response.body);
}

/** The answer of `model` (through the batcher when batching is on), logged when the request was sampled. */
function _respond(route: _Route, request: FastifyRequest, model: LoadedModel, input: PredictInput, started: number | undefined): PredictResponse | Promise<PredictResponse> {
  const response = route.answering.handle(model, input);
  if (started === undefined || route.predictionLog === undefined) return response;
  return route.predictionLog.observePredict(response, model, { model: route.holder.name, requestId: request.id, service: route.service, input, started });
}

/**
 * A request the traffic policy touched: the challenger answers it, or the active version answers and
 * the challenger shadows it once the answer is on its way (only answers that succeeded are shadowed:
 * a bad request says nothing about the challenger). Synchronous like the plain path when the model is.
 */
function _routed(
  request: FastifyRequest,
  reply: FastifyReply,
  route: _Route,
  input: PredictInput,
  rows: number,
  routed: Routed,
  started: number | undefined,
): FastifyReply | Promise<FastifyReply> {
  const { service, counted } = route;
  if (routed.answer === 'challenger') {
    const model = routed.challenger;
    markAnswered(request, model.metadata.version);
    return _send(reply, _respond(route, request, model, input, started), counted, model, rows);
  }
  const active = route.holder.current;
  if (active !== undefined) return _shadowed(request, reply, route, input, rows, routed, _respond(route, request, active, input, started), active);
  return route.holder.get().then(
    (loaded) => _shadowed(request, reply, route, input, rows, routed, _respond(route, request, loaded, input, started), loaded),
    (error) => _send(reply, service.responseFromError(error)),
  );
}

function _shadowed(
  request: FastifyRequest,
  reply: FastifyReply,
  route: _Route,
  input: PredictInput,
  rows: number,
  routed: Routed,
  response: PredictResponse | Promise<PredictResponse>,
  model: LoadedModel,
): FastifyReply | Promise<FastifyReply> {
  if (response instanceof Promise) return response.then((resolved) => _shadowed(request, reply, route, input, rows, routed, resolved, model));
  if (response.status === 200 && route.traffic !== undefined) {
    const { service } = route;
    const primary = { version: model.metadata.version, answer: response.body.result, requestId: request.id };
    route.traffic.shadow(routed, primary, async (challenger) => {
      const shadowed = await service.handle(challenger, input);
      if (shadowed.status !== 200) throw new PldError('PLD_ERR_PREDICT_FAILED', `${shadowed.body.metadata.error_type}: ${shadowed.body.metadata.error_message}`);
      return shadowed.body.result;
    });
  }
  return _send(reply, response, route.counted, model, rows);
}

type _Route = {
  readonly service: PredictService;
  /** The service, or its micro-batching wrapper: what answers. */
  readonly answering: Pick<PredictService, 'handle'>;
  readonly holder: ModelHolder;
  readonly traffic: TrafficController | undefined;
  readonly predictionLog: PredictionLog | undefined;
  readonly counted: ((version: number, rows: number) => void) | undefined;
};
