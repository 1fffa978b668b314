import type { StorageDriver } from './storage/types.js';
import { emptyIndex, PROP_ACTIVE, PROP_DB_VERSION, PROP_LAST_VERSION, STORE_FORMAT_VERSION, type StoreIndex, validateIndex } from './store-index.js';
import type { ModelMetadata } from './types.js';

/**
 * One named change of the store layout, from `db-version` `from` to `to`. `run` gets the raw parsed
 * index (legacy layouts are not objects) and the storage, and returns the index in the `to` layout.
 * @example
 * const step: UpgradeStep = { name: 'rename-x', from: '1', to: '2', run: (index) => ({ ...(index as StoreIndex) }) };
 */
export interface UpgradeStep {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  run(index: unknown, storage: StorageDriver): StoreIndex | Promise<StoreIndex>;
}

/** The layout version of a legacy Palladium index that is a bare list of metadata. */
export const LEGACY_LIST_VERSION = '0';

/**
 * Palladium's upgrade step 1.0: a list-only index becomes `{models, properties, history}` and its last
 * listed model is activated, since before 1.0 "the latest model" was what `read()` returned.
 * @example
 * await legacyListToObject.run([{ version: 1 }, { version: 2 }], storage); // active-model '2'
 */
export const legacyListToObject: UpgradeStep = {
  name: 'legacy-list-to-object',
  from: LEGACY_LIST_VERSION,
  to: STORE_FORMAT_VERSION,
  run(index, _storage) {
    if (!Array.isArray(index)) return index === undefined || index === null ? emptyIndex() : validateIndex(index, 'the store');
    const converted = validateIndex({ models: index, properties: { [PROP_DB_VERSION]: STORE_FORMAT_VERSION }, history: [] }, 'the store');
    const last = converted.models.at(-1) as ModelMetadata | undefined;
    if (last !== undefined) {
      converted.properties[PROP_ACTIVE] = String(last.version);
      converted.history.push({ version: last.version, previous: null, at: new Date().toISOString() });
    }
    const highest = Math.max(0, ...converted.models.map((model) => model.version));
    converted.properties[PROP_LAST_VERSION] = String(highest);
    return converted;
  },
};

/** The steps every versioned store knows, in order. */
export const builtinUpgradeSteps: readonly UpgradeStep[] = [legacyListToObject];

/**
 * The layout version of a raw index: `'0'` for a legacy list, else its `db-version` (a missing index or
 * property counts as current, since this program wrote it).
 * @example
 * detectIndexVersion([]); // '0'
 */
export function detectIndexVersion(raw: unknown): string {
  if (Array.isArray(raw)) return LEGACY_LIST_VERSION;
  const properties = (raw as { properties?: Record<string, unknown> } | null | undefined)?.properties;
  const version = properties?.[PROP_DB_VERSION];
  return version === undefined ? STORE_FORMAT_VERSION : String(version);
}

/**
 * The steps with `from < step.to <= to`, in version order (Palladium's `UpgradeSteps.run` rule).
 * @example
 * selectUpgradeSteps(builtinUpgradeSteps, '0', '1').map((step) => step.name); // ['legacy-list-to-object']
 */
export function selectUpgradeSteps(steps: readonly UpgradeStep[], from: string, to: string): UpgradeStep[] {
  return steps.filter((step) => compareVersions(step.to, from) > 0 && compareVersions(step.to, to) <= 0).sort((a, b) => compareVersions(a.to, b.to));
}

/**
 * Compares dotted numeric version strings (`'1.2.4.1'` vs `'1'`); non-numeric parts count as 0.
 * @example
 * compareVersions('1.10', '1.9'); // 1
 */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(_part);
  const right = b.split('.').map(_part);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

function _part(text: string): number {
  const value = Number.parseInt(text, 10);
  return Number.isNaN(value) ? 0 : value;
}
