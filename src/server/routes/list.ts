import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { ModelPersister } from '../../persistence/types.js';

/** `GET /list`: `{"models":[...],"properties":{"active-model":"1","db-version":"1"},"history":[...]}`, Palladium's two keys plus the activation history. */
export function registerListRoute(
  app: FastifyInstance,
  persister: ModelPersister,
  preHandler: preHandlerAsyncHookHandler[] = [],
  path = '/list',
  extra?: () => Record<string, unknown>,
): void {
  app.get(path, { preHandler }, async () => {
    const [models, properties] = await Promise.all([persister.listModels(), persister.listProperties()]);
    // `history` (and `model_names` with several models) are ours; Palladium clients read only `models` and `properties`.
    const body = persister.history ? { models, properties, history: await persister.history() } : { models, properties };
    return extra === undefined ? body : { ...body, ...extra() };
  });
}
