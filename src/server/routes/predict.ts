import type { FastifyInstance, FastifyReply, preHandlerAsyncHookHandler } from 'fastify';
import { PldError } from '../../errors.js';
import type { LoadedModel } from '../../persistence/model.js';
import type { ModelHolder } from '../../service/model-holder.js';
import type { ModelVersions } from '../models/versions.js';
import type { PredictInput, PredictResponse, PredictService } from '../../service/predict-service.js';
import { fromFastifyError } from '../responses.js';

/** Limits and counters of a predict route. */
export interface PredictRouteOptions {
  /** `server.max_batch_rows`: a longer POST batch is a 413 before anything is converted. */
  readonly maxBatchRows?: number;
  /** Called after each successful prediction with the model version and the number of rows (metrics). */
  readonly onPredicted?: (version: number, rows: number) => void;
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
  const counted = options.onPredicted;
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
      if (options.pinned !== undefined) {
        const loaded = _pinned(options.pinned, (request.params as { version?: string }).version);
        return loaded.then(
          (model) => _send(reply, service.handle(model, input), counted, model, rows),
          (error) => _send(reply, service.responseFromError(error)),
        );
      }
      const model = holder.current;
      if (model !== undefined) return _send(reply, service.handle(model, input), counted, model, rows);
      return holder.get().then(
        (loaded) => _send(reply, service.handle(loaded, input), counted, loaded, rows),
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
