import { z } from 'zod';
import type { ComponentDefinition, CreateContext } from '../config/registry.js';
import { type Schedule, scheduleFromParams } from './schedule.js';
import { isModelPersister, type ActivationInfo, type ActivationRecord, type ModelPersister, type Version } from './types.js';
import { parseVersion } from './version.js';

/**
 * Parameters of `CachedUpdatePersister` (`palladium.persistence.CachedUpdatePersister`): the wrapped
 * persister and at most one schedule.
 * @example
 * cachedPersisterParams.parse({ impl: filePersister, update_cache_interval: 60 });
 */
export const cachedPersisterParams = z.strictObject({
  impl: z.custom<ModelPersister>(isModelPersister, { message: 'must be a model persister, e.g. {"__factory__": "File", "path": "model-{version}"}' }),
  update_cache_rrule: z.record(z.string(), z.unknown()).optional(),
  update_cache_cron: z.string().optional(),
  update_cache_interval: z.number().optional(),
  check_version: z.boolean().default(true),
});

/** Parsed parameters of `CachedUpdatePersister`. */
export type CachedPersisterParams = z.infer<typeof cachedPersisterParams>;

/**
 * Palladium's `CachedUpdatePersister`, reshaped: every persister method goes straight to `impl`
 * (so `pld fit`, `pld list`, `pld admin` and `read(version)` behave exactly as without it; there is
 * no "fit mode"), and it carries the schedule on which `pld serve` checks the active version and
 * swaps in a new model (the server's ModelHolder holds the model in memory, not this object).
 * @example
 * const cached = new CachedUpdatePersister(filePersister, { schedule: intervalSchedule(60, 'update_cache_interval') });
 * await cached.read(); // impl.read()
 */
export class CachedUpdatePersister implements ModelPersister {
  /** When the server checks the active version; `undefined` = only on `POST /update-model-cache`. */
  readonly schedule: Schedule | undefined;
  /** Palladium's `check_version`: when false, every check reloads the model even if the version is unchanged. */
  readonly checkVersion: boolean;

  constructor(
    readonly impl: ModelPersister,
    options: { schedule?: Schedule; checkVersion?: boolean } = {},
  ) {
    this.schedule = options.schedule;
    this.checkVersion = options.checkVersion ?? true;
  }

  read(version?: Version) {
    return this.impl.read(version);
  }

  write(artifact: Parameters<ModelPersister['write']>[0]) {
    return this.impl.write(artifact);
  }

  activate(version: Version, info?: ActivationInfo) {
    return this.impl.activate(version, info);
  }

  // Rest parameters, so options a backend's delete takes (e.g. `{ force }`) pass through unchanged.
  delete(...args: Parameters<ModelPersister['delete']>) {
    return this.impl.delete(...args);
  }

  listModels() {
    return this.impl.listModels();
  }

  listProperties() {
    return this.impl.listProperties();
  }

  /** `impl.setProperty`; absent when `impl` lacks it, so callers can feature-test it as on any persister. */
  get setProperty(): ModelPersister['setProperty'] {
    const impl = this.impl;
    return impl.setProperty === undefined ? undefined : (name, value) => (impl.setProperty as NonNullable<ModelPersister['setProperty']>)(name, value);
  }

  upgrade(from?: string, to?: string) {
    return this.impl.upgrade(from, to);
  }

  async history(): Promise<ActivationRecord[]> {
    return this.impl.history ? this.impl.history() : [];
  }

  /** The active version, cheaply: `impl.activeVersion()` when it has one, else from the properties. */
  async activeVersion(): Promise<Version | null> {
    if (this.impl.activeVersion) return this.impl.activeVersion();
    const active = (await this.impl.listProperties())['active-model'];
    return active === undefined ? null : parseVersion(active, 'active-model');
  }

  async close(): Promise<void> {
    await this.impl.close?.();
  }
}

/**
 * True for a {@link CachedUpdatePersister} (the server then polls it and mounts `/update-model-cache`).
 * @example
 * if (isCachedUpdatePersister(persister)) holder.schedule(persister.schedule);
 */
export function isCachedUpdatePersister(value: unknown): value is CachedUpdatePersister {
  return value instanceof CachedUpdatePersister;
}

/**
 * Builds the persister from parsed params, validating the schedule and naming its key on error.
 * @example
 * createCachedPersister({ impl, check_version: true, update_cache_cron: '0 * * * *' }, ctx);
 */
export function createCachedPersister(params: CachedPersisterParams, ctx: Partial<Pick<CreateContext, 'keyPath'>> = {}): CachedUpdatePersister {
  const schedule = scheduleFromParams(params, ctx.keyPath ?? 'model_persister');
  return new CachedUpdatePersister(params.impl, { schedule, checkVersion: params.check_version });
}

/**
 * The registry entry (one line in `persistence/builtins.ts` adds it).
 * @example
 * registry.register(cachedPersisterDefinition);
 */
export const cachedPersisterDefinition: ComponentDefinition<ModelPersister, CachedPersisterParams> = {
  name: 'CachedUpdatePersister',
  aliases: ['palladium.persistence.CachedUpdatePersister'],
  kind: 'persister',
  params: cachedPersisterParams,
  summary: 'Wraps a persister; `pld serve` polls its active version on a schedule and hot-swaps the model.',
  create: (params, ctx) => createCachedPersister(params, ctx),
  ctor: CachedUpdatePersister,
};
