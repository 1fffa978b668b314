import path from 'node:path';
import { z } from 'zod';
import { PldError } from '../errors.js';
import { isEstimator } from '../estimators/types.js';
import { formatZodError } from '../internal/zod-format.js';
import { isPlainObject, joinPath } from '../internal/objects.js';
import { substituteEnv } from './env.js';
import { locateConfigFiles } from './locate.js';
import { FACTORY_KEY, mergeConfigs, type ConfigSource } from './merge.js';
import { readConfigFile } from './read.js';
import type { ComponentKind, CreateContext, Registry } from './registry.js';
import { topLevelSchema } from './schema.js';
import { importUserExport, isUserModuleReference } from './user-module.js';

/** How to find and read the config. */
export interface LoadConfigOptions {
  /** Comma-separated files, as `--config` takes them; wins over `PALLADIUM_CONFIG`. */
  readonly config?: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly registry: Registry;
}

/** Checks that a created component has the shape its key needs. */
export type KindGuard = (value: unknown) => boolean;

/**
 * A loaded, merged and statically checked config. Components are created on demand, once per key
 * (`component('model')`), so a command creates exactly what it needs, all before it starts working.
 * @example
 * const config = await loadConfig({ config: 'config.json', registry });
 * const model = await config.component('model', 'estimator', isEstimator);
 */
export class Config {
  readonly #instances = new Map<string, Promise<unknown>>();

  constructor(
    readonly data: Readonly<Record<string, unknown>>,
    readonly files: readonly string[],
    readonly sources: ReadonlyMap<string, string>,
    readonly registry: Registry,
    /** The key path this config's keys live under (`models.fraud` for one entry of `models`); '' at the top. */
    readonly scope = '',
  ) {}

  /** A top-level key as a dotted path from the config's root (`models.fraud.model_persister` for a model entry). */
  keyPath(key: string): string {
    return joinPath(this.scope, key);
  }

  /** True when the top-level key is set. */
  has(key: string): boolean {
    return this.data[key] !== undefined && this.data[key] !== null;
  }

  /** The raw value of a plain key such as `service_metadata`. */
  value<T = unknown>(key: string): T | undefined {
    return this.data[key] as T | undefined;
  }

  /** The file a top-level key came from. */
  fileOf(key: string): string {
    return this.sources.get(key) ?? this.files[this.files.length - 1] ?? '<inline>';
  }

  /** Creates (once) the component under `key`; a missing key is PLD_ERR_CONFIG_MISSING_KEY. */
  async component<T>(key: string, kind: ComponentKind, guard: KindGuard): Promise<T> {
    if (!this.has(key)) {
      throw new PldError(
        'PLD_ERR_CONFIG_MISSING_KEY',
        `The required key '${this.keyPath(key)}' was not found in your configuration (${this.files.join(', ') || 'no files'}). Add it, or point --config / PALLADIUM_CONFIG at the right file.`,
        { details: { key: this.keyPath(key) } },
      );
    }
    let pending = this.#instances.get(key);
    if (pending === undefined) {
      pending = this.#build(key, kind, guard);
      this.#instances.set(key, pending);
    }
    return (await pending) as T;
  }

  /** Like {@link component} but `undefined` when the key is not set. */
  async optionalComponent<T>(key: string, kind: ComponentKind, guard: KindGuard): Promise<T | undefined> {
    return this.has(key) ? this.component<T>(key, kind, guard) : undefined;
  }

  /** Every top-level key whose value is a `__factory__` of the given kind, in config order. */
  keysOfKind(kind: ComponentKind): string[] {
    return Object.keys(this.data).filter((key) => {
      const value = this.data[key];
      if (!isPlainObject(value) || typeof value[FACTORY_KEY] !== 'string') return false;
      const definition = this.registry.get(value[FACTORY_KEY] as string);
      return definition?.kind === kind;
    });
  }

  async #build(key: string, kind: ComponentKind, guard: KindGuard): Promise<unknown> {
    const file = this.fileOf(key);
    const keyPath = this.keyPath(key);
    const created = await instantiate(this.data[key], { registry: this.registry, file, baseDir: file === '<inline>' ? process.cwd() : path.dirname(file), keyPath });
    if (!guard(created)) {
      throw new PldError('PLD_ERR_CONFIG_WRONG_KIND', `${file}: ${keyPath}: expected a component of kind '${kind}' (e.g. {"__factory__": ...}), got ${_describe(created)}`, {
        details: { file, keyPath },
      });
    }
    return created;
  }
}

/**
 * Finds, reads, substitutes `${VAR}`s, merges and statically checks the config files.
 * @example
 * const config = await loadConfig({ registry: createRegistry(), cwd: 'examples/iris' });
 */
export async function loadConfig(options: LoadConfigOptions): Promise<Config> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const files = locateConfigFiles({ explicit: options.config, env: env.PALLADIUM_CONFIG, cwd });
  const sources: ConfigSource[] = [];
  for (const file of files) {
    const raw = await readConfigFile(file);
    sources.push({ file, data: substituteEnv(raw, env, file) as Record<string, unknown> });
  }
  return configFromSources(sources, options.registry);
}

/**
 * A config from data already in memory (the package API, tests); `baseDir` anchors relative paths.
 * @example
 * const config = configFromObject({ model: { __factory__: 'DecisionTreeClassifier' } }, registry);
 */
export function configFromObject(data: Record<string, unknown>, registry: Registry, baseDir = process.cwd()): Config {
  return configFromSources([{ file: path.join(baseDir, '<inline>'), data }], registry);
}

function configFromSources(sources: ConfigSource[], registry: Registry): Config {
  const merged = mergeConfigs(sources);
  const parsed = topLevelSchema.safeParse(merged.data);
  if (!parsed.success) {
    const key = String(parsed.error.issues[0]?.path[0] ?? '');
    const file = merged.sources.get(key) ?? sources[0]?.file ?? '<inline>';
    throw new PldError('PLD_ERR_CONFIG_INVALID_PARAM', `${file}: ${formatZodError(parsed.error, '', merged.data)}`, { details: { file, keyPath: key } });
  }
  for (const [key, value] of Object.entries(merged.data)) _checkFactories(value, key, merged.sources.get(key) ?? '<inline>', registry);
  return new Config(
    merged.data,
    sources.map((source) => source.file),
    merged.sources,
    registry,
  );
}

/**
 * Builds a config value depth-first: nested components exist before the component that holds them.
 * Each `__factory__` dict is validated against its registry schema and created.
 */
export async function instantiate(value: unknown, ctx: CreateContext): Promise<unknown> {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(await instantiate(value[i], { ...ctx, keyPath: joinPath(ctx.keyPath, String(i)) }));
    return out;
  }
  if (!isPlainObject(value)) return value;
  const built: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key !== FACTORY_KEY) built[key] = await instantiate(item, { ...ctx, keyPath: joinPath(ctx.keyPath, key) });
  }
  const factory = value[FACTORY_KEY];
  if (factory === undefined) return built;
  return _create(factory as string, built, ctx);
}

async function _create(factory: string, params: Record<string, unknown>, ctx: CreateContext): Promise<unknown> {
  if (isUserModuleReference(factory)) {
    const exported = await importUserExport(factory, ctx.baseDir, ctx.keyPath, ctx.file);
    return _createFromExport(exported, params, ctx, factory);
  }
  const definition = ctx.registry.get(factory);
  if (definition === undefined) throw _unknownFactory(factory, ctx.keyPath, ctx.file, ctx.registry);
  const parsed = definition.params.safeParse(params);
  if (!parsed.success) {
    throw new PldError('PLD_ERR_CONFIG_INVALID_PARAM', `${ctx.file}: ${definition.name}: ${formatZodError(parsed.error, ctx.keyPath, params)}`, {
      details: { file: ctx.file, keyPath: ctx.keyPath, factory },
    });
  }
  return definition.create(parsed.data, ctx);
}

async function _createFromExport(exported: unknown, params: Record<string, unknown>, ctx: CreateContext, factory: string): Promise<unknown> {
  const definition = exported as { create?: unknown; params?: { safeParse?: unknown } };
  if (typeof definition === 'object' && definition !== null && typeof definition.create === 'function' && typeof definition.params?.safeParse === 'function') {
    const parsed = (definition.params as import('zod').ZodType).safeParse(params);
    if (!parsed.success) {
      throw new PldError('PLD_ERR_CONFIG_INVALID_PARAM', `${ctx.file}: ${formatZodError(parsed.error, ctx.keyPath, params)}`, {
        details: { file: ctx.file, keyPath: ctx.keyPath, factory },
      });
    }
    return (definition.create as (p: unknown, c: CreateContext) => unknown)(parsed.data, ctx);
  }
  if (typeof exported !== 'function') {
    throw new PldError('PLD_ERR_CONFIG_USER_MODULE', `${ctx.file}: ${ctx.keyPath}.__factory__: '${factory}' is not a class, a function or a component definition`, {
      details: { file: ctx.file, keyPath: ctx.keyPath },
    });
  }
  const isClass = /^class[\s{]/.test(Function.prototype.toString.call(exported));
  if (!isClass) return await (exported as (p: unknown, c: CreateContext) => unknown)(params, ctx);
  const Ctor = exported as new (p: unknown) => unknown;
  const created = new Ctor(params);
  // A user estimator is stored by its reference, so the store can rebuild it wherever the same config
  // (and so the same code) is loaded: register the class under the reference as written.
  if (isEstimator(created) && ctx.registry.get(factory) === undefined) {
    ctx.registry.register({
      name: factory,
      kind: 'estimator',
      params: _anyParams,
      ctor: Ctor,
      create: (p: Record<string, unknown>) => new Ctor(p),
      summary: `user estimator ${factory}`,
    });
  }
  return created;
}

const _anyParams = z.record(z.string(), z.unknown());

function _checkFactories(value: unknown, keyPath: string, file: string, registry: Registry): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) _checkFactories(value[i], joinPath(keyPath, String(i)), file, registry);
    return;
  }
  if (!isPlainObject(value)) return;
  if (FACTORY_KEY in value) {
    const factory = value[FACTORY_KEY];
    if (typeof factory !== 'string' || factory === '') {
      throw new PldError('PLD_ERR_CONFIG_INVALID_PARAM', `${file}: ${keyPath}.__factory__: expected a registry name or './file.ts#Export', got ${JSON.stringify(factory)}`, {
        details: { file, keyPath },
      });
    }
    if (!isUserModuleReference(factory) && registry.get(factory) === undefined) throw _unknownFactory(factory, keyPath, file, registry);
  }
  for (const [key, item] of Object.entries(value)) if (key !== FACTORY_KEY) _checkFactories(item, joinPath(keyPath, key), file, registry);
}

function _unknownFactory(factory: string, keyPath: string, file: string, registry: Registry): PldError {
  const suggestions = registry.suggest(factory);
  const hint =
    suggestions.length > 0
      ? ` Did you mean ${suggestions
          .slice(0, 3)
          .map((s) => `'${s}'`)
          .join(' or ')}?`
      : '';
  return new PldError('PLD_ERR_CONFIG_UNKNOWN_FACTORY', `${file}: ${keyPath}.__factory__: unknown component '${factory}'.${hint} User code is referenced as './file.ts#Export'.`, {
    details: { file, keyPath, factory },
  });
}

function _describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : `a ${value.constructor?.name ?? 'object'}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
