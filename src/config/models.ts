import { PldError } from '../errors.js';
import { isPlainObject } from '../internal/objects.js';
import { Config } from './config.js';
import { FACTORY_KEY } from './merge.js';

/** The top-level key naming several models, each an entry with its own store, estimator and services. */
export const MODELS_KEY = 'models';
/** The name of the model a config without `models` (or with a top-level `model_persister`) defines. */
export const DEFAULT_MODEL = 'default';

// Top-level keys that belong to one model and so are not inherited by the entries of `models`.
const _PER_MODEL_KEYS = new Set([
  'model',
  'model_persister',
  'dataset_loader_train',
  'dataset_loader_test',
  'grid_search',
  'scoring',
  'service_metadata',
  'predict_service',
  'max_loaded_versions',
  // Challenger versions are numbers of one model's store, so a policy never applies to another model.
  'traffic',
]);

/**
 * The names under `models`, in config order; empty when the config has no `models`.
 * @example
 * modelEntryNames(config); // ['fraud', 'churn']
 */
export function modelEntryNames(config: Config): string[] {
  const models = config.value<Record<string, unknown>>(MODELS_KEY);
  return isPlainObject(models) ? Object.keys(models) : [];
}

/**
 * The name a (possibly derived) config's model is served under: the entry name for a config made by
 * {@link configForModel}, else `default`.
 * @example
 * modelNameOf(configForModel(config, 'fraud')); // 'fraud'
 */
export function modelNameOf(config: Config): string {
  return config.scope.startsWith(`${MODELS_KEY}.`) ? config.scope.slice(MODELS_KEY.length + 1) : DEFAULT_MODEL;
}

/**
 * Every model a config defines, each as the config its commands and services run against, in order:
 * `default` first when the top level has a `model_persister` (or there is no `models` at all), then
 * each entry of `models`. The first one is what the root routes (`/predict`, `/alive`, `/list`) serve.
 * @example
 * for (const { name, config: modelConfig } of modelConfigs(config)) ...
 */
export function modelConfigs(config: Config): { name: string; config: Config }[] {
  const entries = modelEntryNames(config);
  const out: { name: string; config: Config }[] = [];
  if (entries.length === 0 || config.has('model_persister')) out.push({ name: modelNameOf(config), config });
  for (const name of entries) {
    if (name === DEFAULT_MODEL && out.length > 0) {
      throw new PldError(
        'PLD_ERR_CONFIG_MODEL_NAME_TAKEN',
        `${config.fileOf(MODELS_KEY)}: ${MODELS_KEY}.${DEFAULT_MODEL}: the top-level model_persister already defines the model named '${DEFAULT_MODEL}'; rename the entry or move the top-level keys into it`,
        {
          details: { keyPath: `${MODELS_KEY}.${DEFAULT_MODEL}` },
        },
      );
    }
    out.push({ name, config: configForModel(config, name) });
  }
  return out;
}

/**
 * The config of one entry of `models`: the entry's keys over the top level's shared keys (server,
 * metrics, hooks, plain data), leaving out the top level's own model keys (`model`, `model_persister`,
 * `dataset_loader_*`, `predict_service` and other components), so `pld fit --model fraud` fits exactly
 * what `models.fraud` names. Errors name `models.fraud.<key>`. An unknown name is
 * PLD_ERR_CONFIG_UNKNOWN_MODEL naming the known ones.
 * @example
 * const fraud = configForModel(config, 'fraud');
 * await fraud.component('model_persister', 'persister', isModelPersister);
 */
export function configForModel(config: Config, name: string): Config {
  const models = config.value<Record<string, unknown>>(MODELS_KEY);
  const entry = isPlainObject(models) ? models[name] : undefined;
  if (!isPlainObject(entry)) throw unknownModel(config, name);
  const data: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const [key, value] of Object.entries(config.data)) {
    if (key === MODELS_KEY || _PER_MODEL_KEYS.has(key) || _isComponent(value)) continue;
    data[key] = value;
    sources.set(key, config.fileOf(key));
  }
  for (const [key, value] of Object.entries(entry)) {
    data[key] = value;
    sources.set(key, config.fileOf(MODELS_KEY));
  }
  return new Config(data, config.files, sources, config.registry, `${MODELS_KEY}.${name}`);
}

/**
 * The config a one-model command (`pld fit`, `test`, `list`, `admin`...) runs against: the entry named
 * `name` (`--model`), else the only model the config defines. Several models and no `name` is
 * PLD_ERR_CONFIG_MODEL_REQUIRED, naming them.
 * @example
 * const ctx = createContext(selectModel(config, options.model), log);
 */
export function selectModel(config: Config, name?: string): Config {
  const entries = modelEntryNames(config);
  if (entries.length === 0) {
    if (name === undefined || name === DEFAULT_MODEL) return config;
    throw unknownModel(config, name);
  }
  if (name !== undefined) {
    if (name === DEFAULT_MODEL && config.has('model_persister')) return config;
    return configForModel(config, name);
  }
  const all = modelConfigs(config);
  if (all.length === 1) return all[0].config;
  throw new PldError('PLD_ERR_CONFIG_MODEL_REQUIRED', `The config defines several models (${all.map((m) => `'${m.name}'`).join(', ')}); choose one with --model NAME`, {
    details: { models: all.map((m) => m.name) },
  });
}

/**
 * PLD_ERR_CONFIG_UNKNOWN_MODEL for `name`, listing the models the config defines.
 * @example
 * throw unknownModel(config, 'fraud');
 */
export function unknownModel(config: Config, name: string): PldError {
  const entries = modelEntryNames(config);
  const known = entries.length === 0 || config.has('model_persister') ? [DEFAULT_MODEL, ...entries] : entries;
  return new PldError('PLD_ERR_CONFIG_UNKNOWN_MODEL', `Unknown model '${name}'; the config defines ${known.map((n) => `'${n}'`).join(', ')}`, {
    details: { model: name, models: known },
  });
}

// A top-level component (a `__factory__` dict) other than the known per-model keys: a second
// PredictService or another model's component, never something every entry should share. Hook lists
// (`*_decorators`) are lists and plain data has no factory, so both are still inherited.
function _isComponent(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  return typeof value[FACTORY_KEY] === 'string';
}
