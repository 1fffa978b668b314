import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { ModelPersister } from '../../persistence/types.js';

/** `GET /list`: `{"models":[...],"properties":{"active-model":"1","db-version":"1"},"history":[...]}`, Palladium's two keys plus the activation history. */
export function registerListRoute(app: FastifyInstance, persister: ModelPersister, preHandler: preHandlerAsyncHookHandler[] = []): void {
  app.get('/list', { preHandler }, async () => {
    const [models, properties] = await Promise.all([persister.listModels(), persister.listProperties()]);
    // `history` is ours; Palladium clients read only `models` and `properties`.
    return persister.history ? { models, properties, history: await persister.history() } : { models, properties };
  });
}
