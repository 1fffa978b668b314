import type { FastifyInstance, FastifyReply, preHandlerAsyncHookHandler } from 'fastify';
import type { ModelHolder } from '../../service/model-holder.js';
import type { PredictInput, PredictResponse, PredictService } from '../../service/predict-service.js';
import { fromFastifyError } from '../responses.js';

/**
 * Mounts one PredictService at its `entry_point` for GET (one sample from the query string) and POST
 * (a JSON list of samples). The route only adapts HTTP to the service; errors of any kind, including
 * unparsable bodies, come back through the service's `responseFromError` with its metadata.
 */
export function registerPredictRoute(app: FastifyInstance, service: PredictService, holder: ModelHolder, preHandler: preHandlerAsyncHookHandler[] = []): void {
  app.route({
    ...(preHandler.length > 0 ? { preHandler } : {}),
    method: ['GET', 'POST'],
    url: service.entryPoint,
    errorHandler: (error, _request, reply) => {
      const response = service.responseFromError(fromFastifyError(error));
      return reply.code(response.status).send(response.body);
    },
    handler: (request, reply) => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const input: PredictInput = request.method === 'POST' ? { kind: 'batch', body: request.body, query } : { kind: 'single', sample: query, query };
      const model = holder.current;
      if (model !== undefined) return _send(reply, service.handle(model, input));
      return holder.get().then(
        (loaded) => _send(reply, service.handle(loaded, input)),
        (error) => _send(reply, service.responseFromError(error)),
      );
    },
  });
}

function _send(reply: FastifyReply, response: PredictResponse | Promise<PredictResponse>): FastifyReply | Promise<FastifyReply> {
  if (response instanceof Promise) return response.then((resolved) => reply.code(resolved.status).send(resolved.body));
  return reply.code(response.status).send(response.body);
}
