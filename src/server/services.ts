import type { Config } from '../config/config.js';
import { FACTORY_KEY } from '../config/merge.js';
import { importUserExport, isUserModuleReference } from '../config/user-module.js';
import { isPlainObject } from '../internal/objects.js';
import { isPredictService, type PredictService } from '../service/predict-service.js';
import path from 'node:path';

/** The key `pld stream` and single-service tools use by default, as in Palladium. */
export const DEFAULT_SERVICE_KEY = 'predict_service';

/**
 * The top-level keys that hold a PredictService, in config order: `predict_service`, every key whose
 * `__factory__` is a registered service (`PredictService`, `palladium.server.PredictService`), and
 * every key whose `__factory__` is a user class (`./my-service.ts#MyPredictService`) with
 * PredictService's shape, i.e. a subclass of it (its prototype has `handle` and `entryPoint`). User
 * modules are imported to check, not instantiated; plain factory functions that return a service count
 * only under `predict_service`.
 * @example
 * const keys = await serviceKeys(ctx.config); // ['predict_service', 'proba_service']
 */
export async function serviceKeys(config: Config): Promise<string[]> {
  const registered = new Set(config.keysOfKind('service'));
  const keys: string[] = [];
  for (const key of Object.keys(config.data)) {
    if (key === DEFAULT_SERVICE_KEY || registered.has(key)) {
      if (config.has(key)) keys.push(key);
      continue;
    }
    const value = config.data[key];
    if (!isPlainObject(value) || typeof value[FACTORY_KEY] !== 'string' || !isUserModuleReference(value[FACTORY_KEY] as string)) continue;
    const file = config.fileOf(key);
    const exported = await importUserExport(value[FACTORY_KEY] as string, file === '<inline>' ? process.cwd() : path.dirname(file), key, file);
    if (_isServiceClass(exported)) keys.push(key);
  }
  return keys;
}

/**
 * Creates every PredictService of the config (see {@link serviceKeys}).
 * @example
 * const services = await createServices(ctx.config);
 */
export async function createServices(config: Config): Promise<PredictService[]> {
  const services: PredictService[] = [];
  for (const key of await serviceKeys(config)) services.push(await config.component<PredictService>(key, 'service', isPredictService));
  return services;
}

function _isServiceClass(value: unknown): boolean {
  if (typeof value !== 'function' || typeof value.prototype !== 'object' || value.prototype === null) return false;
  const proto = value.prototype as Record<string, unknown>;
  return typeof proto.handle === 'function' && _hasGetter(proto, 'entryPoint');
}

function _hasGetter(proto: object, name: string): boolean {
  for (let p: object | null = proto; p !== null; p = Object.getPrototypeOf(p)) {
    if (Object.getOwnPropertyDescriptor(p, name) !== undefined) return true;
  }
  return false;
}
