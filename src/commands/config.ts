import { PREDICTION_LOG_KEY, predictionLogConfig } from '../server/prediction-log/from-config.js';
import { FACTORY_KEY } from '../config/merge.js';
import { configJsonSchema } from '../config/json-schema.js';
import { configForModel, MODELS_KEY, modelEntryNames } from '../config/models.js';
import { isPlainObject } from '../internal/objects.js';
import type { CommandContext } from './context.js';

/** One component checked by {@link validateConfig}. */
export interface ComponentCheck {
  readonly key: string;
  readonly factory: string;
  readonly kind: string;
}

/** What `pld config --validate` found: every top-level component created without error. */
export interface ConfigValidation {
  readonly files: readonly string[];
  readonly components: ComponentCheck[];
}

/**
 * The merged config as the commands see it (`${VAR}`s substituted, `__copy__`s resolved, `!` spelled
 * `__factory__`), for `pld config --print`.
 * @example
 * JSON.stringify(resolvedConfig(ctx), null, 2);
 */
export function resolvedConfig(ctx: CommandContext): Record<string, unknown> {
  return { ...ctx.config.data };
}

/**
 * Creates every top-level component, which validates its parameters and checks its files, without
 * loading data or fitting; the first problem is thrown as its PldError.
 * @example
 * const { components } = await validateConfig(ctx); // [{ key: 'model', factory: 'DecisionTreeClassifier', kind: 'estimator' }, ...]
 */
export async function validateConfig(ctx: CommandContext): Promise<ConfigValidation> {
  const components: ComponentCheck[] = [];
  for (const [key, value] of Object.entries(ctx.config.data)) {
    if (!isPlainObject(value) || typeof value[FACTORY_KEY] !== 'string') continue;
    const factory = value[FACTORY_KEY] as string;
    const kind = ctx.config.registry.get(factory)?.kind ?? 'user';
    const created = await ctx.config.component<{ close?: () => Promise<void> }>(key, kind === 'user' ? 'other' : kind, () => true);
    if (kind === 'persister') await created.close?.();
    components.push({ key: ctx.config.keyPath(key), factory, kind });
  }
  // Each entry of `models` is checked as the config `--model NAME` gives, so errors name `models.NAME.<key>`.
  for (const name of modelEntryNames(ctx.config)) {
    const config = configForModel(ctx.config, name);
    const entry = ctx.config.value<Record<string, Record<string, unknown>>>(MODELS_KEY)?.[name] ?? {};
    for (const [key, value] of Object.entries(entry)) {
      if (!isPlainObject(value) || typeof value[FACTORY_KEY] !== 'string') continue;
      const factory = value[FACTORY_KEY] as string;
      const kind = config.registry.get(factory)?.kind ?? 'user';
      const created = await config.component<{ close?: () => Promise<void> }>(key, kind === 'user' ? 'other' : kind, () => true);
      if (kind === 'persister') await created.close?.();
      components.push({ key: config.keyPath(key), factory, kind });
    }
  }
  // prediction_log is a plain object holding a sink component; its checks run when the server starts, and here.
  const predictionLog = await predictionLogConfig(ctx);
  if (predictionLog !== undefined) {
    await predictionLog.sink.close();
    const sink = (ctx.config.value<Record<string, unknown>>(PREDICTION_LOG_KEY)?.sink ?? {}) as Record<string, unknown>;
    components.push({ key: `${PREDICTION_LOG_KEY}.sink`, factory: String(sink[FACTORY_KEY] ?? sink['!']), kind: 'other' });
  }
  return { files: ctx.config.files, components };
}

/** The JSON Schema of the config, for `pld config --schema`. */
export function configSchema(ctx: CommandContext): Record<string, unknown> {
  return configJsonSchema(ctx.config.registry);
}
