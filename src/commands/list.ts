import type { ModelMetadata, Properties } from '../persistence/types.js';
import { persisterOf, type CommandContext } from './context.js';

/** Every stored version and the store's properties, as `/list` answers them. */
export interface ListResult {
  readonly models: ModelMetadata[];
  readonly properties: Properties;
}

/**
 * Lists the model store.
 * @example
 * const { models, properties } = await list(ctx); // properties['active-model'] === '1'
 */
export async function list(ctx: CommandContext): Promise<ListResult> {
  const persister = await persisterOf(ctx);
  const [models, properties] = await Promise.all([persister.listModels(), persister.listProperties()]).finally(() => persister.close?.());
  return { models, properties };
}
