import type { Config } from '../config/config.js';
import { isDatasetLoader, type DatasetLoader } from '../data/types.js';
import { createEstimatorCodec } from '../estimators/codec.js';
import { isEstimator, type Estimator, type EstimatorCodec } from '../estimators/types.js';
import type { Logger } from '../logging.js';
import { fromArtifact, type LoadedModel } from '../persistence/model.js';
import { isModelPersister, type ActivationVia, type ModelPersister, type Version } from '../persistence/types.js';

/**
 * What every command runs against: the loaded config and a logger. Commands take it explicitly; there
 * is no global config.
 * @example
 * const ctx = createContext(await loadConfig({ registry: createRegistry() }), silentLogger);
 */
export interface CommandContext {
  readonly config: Config;
  readonly log: Logger;
  readonly codec: EstimatorCodec;
  /** Where commands are run from, recorded with activations; default `'api'` (the CLI sets `'cli'`). */
  readonly via?: ActivationVia;
}

/** A context over a loaded config. */
export function createContext(config: Config, log: Logger): CommandContext {
  return { config, log, codec: createEstimatorCodec(config.registry) };
}

/** The `model` estimator (unfitted, as configured). */
export function modelOf(ctx: CommandContext): Promise<Estimator> {
  return ctx.config.component<Estimator>('model', 'estimator', isEstimator);
}

/** The `model_persister`. */
export function persisterOf(ctx: CommandContext): Promise<ModelPersister> {
  return ctx.config.component<ModelPersister>('model_persister', 'persister', isModelPersister);
}

/** A dataset loader by key; `optional` gives `undefined` instead of a missing-key error. */
export function loaderOf(ctx: CommandContext, key: 'dataset_loader_train' | 'dataset_loader_test'): Promise<DatasetLoader>;
export function loaderOf(ctx: CommandContext, key: 'dataset_loader_train' | 'dataset_loader_test', optional: true): Promise<DatasetLoader | undefined>;
export function loaderOf(ctx: CommandContext, key: 'dataset_loader_train' | 'dataset_loader_test', optional = false): Promise<DatasetLoader | undefined> {
  return optional ? ctx.config.optionalComponent<DatasetLoader>(key, 'loader', isDatasetLoader) : ctx.config.component<DatasetLoader>(key, 'loader', isDatasetLoader);
}

/**
 * Reads a stored model (the active one, or `version`) ready to predict. Creates the configured `model`
 * first when there is one: that registers user estimator classes (`./model.ts#MyModel`), which the
 * store names by reference.
 * @example
 * const { estimator, metadata } = await readModel(ctx);
 */
export async function readModel(ctx: CommandContext, version?: Version): Promise<LoadedModel> {
  if (ctx.config.has('model')) await modelOf(ctx);
  const persister = await persisterOf(ctx);
  return fromArtifact(await persister.read(version), ctx.codec);
}
