import { type CommandContext, modelOf, persisterOf } from '../../commands/context.js';
import { modelConfigs } from '../../config/models.js';
import type { ModelPersister } from '../../persistence/types.js';
import { ModelHolder } from '../../service/model-holder.js';
import type { PredictService } from '../../service/predict-service.js';
import { createServices } from '../services.js';
import { DEFAULT_MAX_LOADED_VERSIONS, ModelVersions } from './versions.js';

/** One model a server serves: its store, the active version in memory, the pinned ones, its services. */
export interface RegisteredModel {
  /** `default`, or its entry name in `models`; keys its routes (`/models/{name}/...`) and metrics. */
  readonly name: string;
  /** The context over the model's own config (`models.{name}` over the shared top-level keys). */
  readonly ctx: CommandContext;
  readonly persister: ModelPersister;
  /** The active version, loaded once and shared by every request. */
  readonly holder: ModelHolder;
  /** Inactive versions requests pin, in an LRU of `max_loaded_versions`. */
  readonly versions: ModelVersions;
  readonly services: readonly PredictService[];
  readonly serviceMetadata: Readonly<Record<string, unknown>>;
}

/**
 * The models of a server, in config order: a config without `models` has one, named `default`. The
 * first one is the primary model that Palladium's root routes (`/predict`, `/alive`, `/list`) serve.
 * @example
 * const models = await createModelRegistry(ctx);
 * const fraud = models.get('fraud');
 */
export class ModelRegistry implements Iterable<RegisteredModel> {
  readonly #models: ReadonlyMap<string, RegisteredModel>;

  constructor(models: readonly RegisteredModel[]) {
    if (models.length === 0) throw new Error('ModelRegistry needs at least one model');
    this.#models = new Map(models.map((model) => [model.name, model]));
  }

  /** The model the root routes serve: `default`, else the first entry of `models`. */
  get primary(): RegisteredModel {
    return this.#models.values().next().value as RegisteredModel;
  }

  /** The model named `name`, if the server serves one. */
  get(name: string): RegisteredModel | undefined {
    return this.#models.get(name);
  }

  get names(): string[] {
    return [...this.#models.keys()];
  }

  get size(): number {
    return this.#models.size;
  }

  [Symbol.iterator](): Iterator<RegisteredModel> {
    return this.#models.values();
  }

  /** Ends every store's connections (a Database persister's pool). */
  async close(): Promise<void> {
    await Promise.all([...this.#models.values()].map((model) => model.persister.close?.()));
  }
}

/**
 * Creates every model of the config (see `modelConfigs`) without loading any version: its store, its
 * configured estimator (which registers user estimator classes so stored versions can be read), its
 * services (each told its model's name and `service_metadata`), a holder for the active version and an
 * LRU of `max_loaded_versions` (the entry's, else `server.max_loaded_versions`, else 4) for pinned ones.
 * @example
 * const models = await createModelRegistry(ctx);
 * await Promise.all([...models].map((m) => m.holder.load()));
 */
export async function createModelRegistry(ctx: CommandContext): Promise<ModelRegistry> {
  const serverDefault = ctx.config.value<{ max_loaded_versions?: number }>('server')?.max_loaded_versions ?? DEFAULT_MAX_LOADED_VERSIONS;
  const models: RegisteredModel[] = [];
  for (const { name, config } of modelConfigs(ctx.config)) {
    const modelCtx: CommandContext = config === ctx.config ? ctx : { ...ctx, config };
    const persister = await persisterOf(modelCtx);
    if (config.has('model')) await modelOf(modelCtx);
    const services = await createServices(config);
    const serviceMetadata = config.value<Record<string, unknown>>('service_metadata') ?? {};
    for (const service of services) {
      service.serviceMetadata = serviceMetadata;
      service.modelName = name;
    }
    const holder = new ModelHolder(name, persister, ctx.codec);
    const versions = new ModelVersions(holder, config.value<number>('max_loaded_versions') ?? serverDefault);
    models.push({ name, ctx: modelCtx, persister, holder, versions, services, serviceMetadata });
  }
  return new ModelRegistry(models);
}
