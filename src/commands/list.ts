import type { ActivationRecord, ModelMetadata, Properties } from '../persistence/types.js';
import { persisterOf, type CommandContext } from './context.js';

/** Every stored version and the store's properties, as `/list` answers them. */
export interface ListResult {
  readonly models: ModelMetadata[];
  readonly properties: Properties;
  /** Activations, oldest first, when the store keeps a history. */
  readonly history?: ActivationRecord[];
}

/**
 * Lists the model store.
 * @example
 * const { models, properties } = await list(ctx); // properties['active-model'] === '1'
 */
export async function list(ctx: CommandContext): Promise<ListResult> {
  const persister = await persisterOf(ctx);
  try {
    const [models, properties] = await Promise.all([persister.listModels(), persister.listProperties()]);
    const history = persister.history ? await persister.history() : undefined;
    return history === undefined ? { models, properties } : { models, properties, history };
  } finally {
    await persister.close?.();
  }
}
