import { PldError } from '../errors.js';
import type { ActivationRecord, ModelMetadata, Properties } from './types.js';

/**
 * The metadata index of a versioned store, in Palladium's JSON layout plus an activation history:
 * `{"models":[…],"properties":{"active-model":"1","db-version":"1"},"history":[…]}`. Unknown top-level
 * keys are kept on rewrite, so a newer writer's additions survive an older one.
 * @example
 * const index: StoreIndex = { models: [], properties: { 'db-version': STORE_FORMAT_VERSION }, history: [] };
 */
export interface StoreIndex {
  models: ModelMetadata[];
  properties: Properties;
  history: ActivationRecord[];
  [key: string]: unknown;
}

/** The store layout version kept in `properties['db-version']`; bumped only with an upgrade step. */
export const STORE_FORMAT_VERSION = '1';

/** Property names: Palladium's two plus our high-water mark (protocol strings, so named once). */
export const PROP_ACTIVE = 'active-model';
export const PROP_DB_VERSION = 'db-version';
/** The highest version ever handed out, so deleting the newest version never frees its number. */
export const PROP_LAST_VERSION = 'last-version';

/**
 * A fresh, empty index (what a store without a metadata file reads as).
 * @example
 * emptyIndex().properties; // { 'db-version': '1' }
 */
export function emptyIndex(): StoreIndex {
  return { models: [], properties: { [PROP_DB_VERSION]: STORE_FORMAT_VERSION }, history: [] };
}

/**
 * Parses index bytes as JSON without checking the layout (for upgrade steps, which see legacy layouts).
 * Bad JSON is `PLD_ERR_PERSIST_CORRUPT` naming the store.
 * @example
 * parseIndexJson(bytes, '/models'); // unknown JSON value
 */
export function parseIndexJson(bytes: Uint8Array, store: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new PldError('PLD_ERR_PERSIST_CORRUPT', `The metadata index of ${store} is not valid JSON: ${(error as Error).message}`, { cause: error, details: { store } });
  }
}

/**
 * Checks a parsed index and normalizes it (property values as strings, missing history as `[]`).
 * A legacy list-only index is `PLD_ERR_PERSIST_CORRUPT` with the hint to run `pld upgrade`.
 * @example
 * const index = validateIndex(parseIndexJson(bytes, store), store);
 */
export function validateIndex(value: unknown, store: string): StoreIndex {
  if (Array.isArray(value)) {
    throw _corrupt(store, 'uses the legacy list-only layout of Palladium before 1.0; run `pld upgrade` to convert it');
  }
  if (typeof value !== 'object' || value === null) throw _corrupt(store, 'is not a JSON object');
  const record = value as Record<string, unknown>;
  const models = record.models ?? [];
  if (!Array.isArray(models)) throw _corrupt(store, "has a 'models' entry that is not a list");
  for (const [position, model] of models.entries()) {
    if (typeof model !== 'object' || model === null || !Number.isSafeInteger((model as ModelMetadata).version)) {
      throw _corrupt(store, `has a model entry at position ${position} without an integer 'version'`);
    }
  }
  const properties = record.properties ?? {};
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) throw _corrupt(store, "has a 'properties' entry that is not an object");
  const history = record.history ?? [];
  if (!Array.isArray(history)) throw _corrupt(store, "has a 'history' entry that is not a list");
  return {
    ...record,
    models: models as ModelMetadata[],
    // Palladium stores every property as a string; keep that even if a hand edit wrote a number.
    properties: Object.fromEntries(Object.entries(properties).map(([key, val]) => [key, String(val)])),
    history: history as ActivationRecord[],
  };
}

/**
 * Serializes an index the way Palladium does (`json.dumps(indent=4)`), key order preserved.
 * @example
 * storage.put(INDEX_KEY, serializeIndex(index));
 */
export function serializeIndex(index: StoreIndex): Uint8Array {
  return Buffer.from(`${JSON.stringify(index, null, 4)}\n`, 'utf8');
}

function _corrupt(store: string, what: string): PldError {
  return new PldError('PLD_ERR_PERSIST_CORRUPT', `The metadata index of ${store} ${what}`, { details: { store } });
}
