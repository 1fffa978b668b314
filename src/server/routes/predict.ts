import type { FastifyInstance, FastifyReply, preHandlerAsyncHookHandler } from 'fastify';
import { PldError } from '../../errors.js';
import type { LoadedModel } from '../../persistence/model.js';
import type { BatchedService } from '../../service/batched-service.js';
import type { ModelHolder } from '../../service/model-holder.js';
import type { PredictInput, PredictResponse, PredictService } from '../../service/predict-service.js';
import type { PredictionLog } from '../prediction-log/prediction-log.js';
import { fromFastifyError } from '../responses.js';

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
  const counted = options.onPredicted;
  const answering = options.batched ?? service;
  const predictionLog = options.predictionLog;
  app.route({
    ...(preHandler.length > 0 ? { preHandler } : {}),
    method: ['GET', 'POST'],
    url: service.entryPoint,
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
      const model = holder.current;
      if (model !== undefined) {
        const response = answering.handle(model, input);
        return _send(reply, started === undefined ? response : _observed(predictionLog, response, model, started, holder.name, request.id, service, input), counted, model, rows);
      }
      return holder.get().then(
        (loaded) => {
          const response = answering.handle(loaded, input);
          return _send(
            reply,
            started === undefined ? response : _observed(predictionLog, response, loaded, started, holder.name, request.id, service, input),
            counted,
            loaded,
            rows,
          );
        },
        (error) => _send(reply, service.responseFromError(error)),
      );
    },
  });
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

function _observed(
  predictionLog: PredictionLog | undefined,
  response: PredictResponse | Promise<PredictResponse>,
  loaded: LoadedModel,
  started: number,
  model: string,
  requestId: string,
  service: PredictService,
  input: PredictInput,
): PredictResponse | Promise<PredictResponse> {
  return predictionLog === undefined ? response : predictionLog.observePredict(response, loaded, { model, requestId, service, input, started });
}
