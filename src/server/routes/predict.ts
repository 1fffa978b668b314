import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { ModelHolder } from '../../service/model-holder.js';
import type { PredictInput, PredictService } from '../../service/predict-service.js';
import { fromFastifyError } from '../responses.js';

/**
 * Mounts one PredictService at its `entry_point` for GET (one sample from the query string) and POST
 * (a JSON list of samples). The route only adapts HTTP to the service; errors of any kind, including
 * unparsable bodies, come back through the service's `responseFromError` with its metadata.
 */
export function registerPredictRoute(app: FastifyInstance, service: PredictService, holder: ModelHolder, preHandler: preHandlerAsyncHookHandler[] = []): void {
  app.route({
    preHandler,
    method: ['GET', 'POST'],
    url: service.entryPoint,
    errorHandler: (error, _request, reply) => {
      const response = service.responseFromError(fromFastifyError(error));
      return reply.code(response.status).send(response.body);
    },
    handler: async (request, reply) => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      let model: Awaited<ReturnType<ModelHolder['get']>>;
      try {
        model = await holder.get();
      } catch (error) {
        const response = service.responseFromError(error);
        return reply.code(response.status).send(response.body);
      }
      const input: PredictInput = request.method === 'POST' ? { kind: 'batch', body: request.body, query } : { kind: 'single', sample: query, query };
      const response = await service.handle(model, input);
      return reply.code(response.status).send(response.body);
    },
  });
}
