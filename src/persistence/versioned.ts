import { PldError } from '../errors.js';
import { checksum, decodeArtifact, encodeArtifact } from './artifact.js';
import { INDEX_KEY, type StorageDriver } from './storage/types.js';
import {
  emptyIndex,
  PROP_ACTIVE,
  PROP_DB_VERSION,
  PROP_LAST_VERSION,
  parseIndexJson,
  STORE_FORMAT_VERSION,
  type StoreIndex,
  serializeIndex,
  validateIndex,
} from './store-index.js';
import type { ActivationRecord, ModelArtifact, ModelMetadata, ModelPersister, Properties, Version } from './types.js';
import { builtinUpgradeSteps, detectIndexVersion, selectUpgradeSteps, type UpgradeStep } from './upgrade.js';
import { parseVersion } from './version.js';

/** Options of {@link createVersionedPersister}. */
export interface VersionedPersisterOptions {
  /** Where the bytes go; the only backend-specific part. */
  readonly storage: StorageDriver;
  /** Names the store in messages; default `storage.describe()`. */
  readonly describe?: string;
  /** Upgrade steps; default {@link builtinUpgradeSteps}. */
  readonly upgradeSteps?: readonly UpgradeStep[];
  /** Clock for activation records (tests pin it). */
  readonly now?: () => Date;
  /** The `db-version` a fresh store gets and `upgrade()` goes to by default; default {@link STORE_FORMAT_VERSION}. */
  readonly formatVersion?: string;
}

/**
 * The versioning core shared by every backend: the metadata index, version numbers, checksums,
 * activation and history, over a {@link StorageDriver} that only moves bytes.
 *
 * Deliberate differences from Palladium (see docs):
 * - A deleted newest version is never handed out again (`properties['last-version']` keeps the
 *   high-water mark); Palladium reuses it, and its Database persister then reads the deleted model.
 * - `activate`/`delete` of an unknown version fail for every backend (Palladium's Database accepts them).
 * - Deleting the active version is refused (`PLD_ERR_PERSIST_ACTIVE_DELETE`) instead of leaving
 *   `active-model` dangling, which made every later `read()` fail until someone activated another.
 * @example
 * const persister = createVersionedPersister({ storage: memoryStorage() });
 * const version = await persister.write(artifact);
 * await persister.activate(version);
 */
export function createVersionedPersister(options: VersionedPersisterOptions): ModelPersister {
  const { storage } = options;
  const store = options.describe ?? storage.describe?.() ?? 'the model store';
  const steps = options.upgradeSteps ?? builtinUpgradeSteps;
  const now = options.now ?? (() => new Date());
  const formatVersion = options.formatVersion ?? STORE_FORMAT_VERSION;

  // A driver with the index capability keeps the index in its own structure (SQL tables); others as bytes.
  const readRaw = async (): Promise<unknown> => {
    if (storage.readIndex && storage.writeIndex) return (await storage.readIndex()) ?? undefined;
    const bytes = await storage.get(INDEX_KEY);
    return bytes === null ? undefined : parseIndexJson(bytes, store);
  };
  const readIndex = async (): Promise<StoreIndex> => {
    const raw = await readRaw();
    return raw === undefined ? _fresh(formatVersion) : validateIndex(raw, store);
  };
  const writeIndex = (index: StoreIndex): Promise<void> => (storage.readIndex && storage.writeIndex ? storage.writeIndex(index) : storage.put(INDEX_KEY, serializeIndex(index)));

  return {
    async write(artifact) {
      return storage.withLock(async () => {
        const index = await readIndex();
        const highest = Math.max(0, Number(index.properties[PROP_LAST_VERSION] ?? 0), ...index.models.map((model) => model.version));
        const version = (highest + 1) as Version;
        const metadata: ModelMetadata = { ...artifact.metadata, version };
        delete metadata.checksum;
        delete metadata.size;
        const bytes = encodeArtifact({ ...artifact, metadata } as ModelArtifact);
        // Bytes first, index second: a crash in between leaves an unlisted file that the next write
        // overwrites (the high-water mark was not bumped), never an index entry without bytes.
        await storage.put(String(version), bytes);
        index.models.push({ ...metadata, checksum: checksum(bytes), size: bytes.byteLength });
        index.properties[PROP_LAST_VERSION] = String(version);
        await writeIndex(index);
        return version;
      });
    },

    async read(version) {
      const index = await readIndex();
      const active = index.properties[PROP_ACTIVE];
      if (version === undefined && active === undefined) {
        throw new PldError(
          'PLD_ERR_PERSIST_NO_ACTIVE_MODEL',
          `No active model available in ${store}; fit one with \`pld fit\` or activate one with \`pld admin activate <version>\``,
          { details: { store } },
        );
      }
      const wanted = version === undefined ? parseVersion(active, 'active-model') : parseVersion(version);
      const entry = index.models.find((model) => model.version === wanted);
      const missing = version === undefined ? 'Activated model not available. Maybe it was deleted.' : `No such version: ${wanted}`;
      if (entry === undefined) throw _notFound(missing, wanted, store);
      const bytes = await storage.get(String(wanted));
      if (bytes === null)
        throw _notFound(version === undefined ? missing : `Model version ${wanted} is listed but its file is missing in ${store}. Maybe it was deleted.`, wanted, store);
      const artifact = decodeArtifact(bytes, { expectedChecksum: entry.checksum, source: `version ${wanted} in ${store}` });
      // The index is the source of truth for metadata (checksum, size, later annotations).
      return { ...artifact, metadata: { ...artifact.metadata, ...entry } };
    },

    async activate(version, info) {
      const wanted = parseVersion(version);
      await storage.withLock(async () => {
        const index = await readIndex();
        _require(index, wanted, store);
        const current = index.properties[PROP_ACTIVE];
        const record: ActivationRecord = {
          version: wanted,
          previous: current === undefined ? null : Number(current),
          at: now().toISOString(),
          ...(info?.by === undefined ? {} : { by: info.by }),
          ...(info?.via === undefined ? {} : { via: info.via }),
        };
        index.properties[PROP_ACTIVE] = String(wanted);
        index.history.push(record);
        await writeIndex(index);
      });
    },

    async delete(version, deleteOptions) {
      const wanted = parseVersion(version);
      await storage.withLock(async () => {
        const index = await readIndex();
        _require(index, wanted, store);
        const isActive = index.properties[PROP_ACTIVE] === String(wanted);
        // Forced: no active model rather than a dangling pointer (Palladium left it dangling).
        if (isActive && deleteOptions?.force === true) delete index.properties[PROP_ACTIVE];
        else if (isActive) {
          throw new PldError(
            'PLD_ERR_PERSIST_ACTIVE_DELETE',
            `Version ${wanted} is the active model of ${store} and cannot be deleted; activate another version first (\`pld admin activate <version>\`), or force it (\`pld admin delete --force ${wanted}\`)`,
            { details: { version: wanted, store } },
          );
        }
        index.models = index.models.filter((model) => model.version !== wanted);
        // Index first, bytes second: a crash in between leaves an orphan file, never a listed version without bytes.
        await writeIndex(index);
        await storage.remove(String(wanted));
      });
    },

    async listModels() {
      const index = await readIndex();
      return [...index.models].sort((a, b) => a.version - b.version);
    },

    async listProperties(): Promise<Properties> {
      return { ...(await readIndex()).properties };
    },

    async setProperty(name, value) {
      await storage.withLock(async () => {
        const index = await readIndex();
        if (value === undefined) delete index.properties[name];
        else index.properties[name] = value;
        await writeIndex(index);
      });
    },

    async history() {
      return [...(await readIndex()).history];
    },

    async activeVersion() {
      const active = (await readIndex()).properties[PROP_ACTIVE];
      return active === undefined ? null : parseVersion(active, 'active-model');
    },

    async upgrade(from, to) {
      return storage.withLock(async () => {
        let raw: unknown = await readRaw();
        const target = to ?? formatVersion;
        const selected = selectUpgradeSteps(steps, from ?? detectIndexVersion(raw), target);
        for (const step of selected) raw = await step.run(raw, storage);
        if (selected.length === 0) return [];
        const index = validateIndex(raw ?? emptyIndex(), store);
        index.properties[PROP_DB_VERSION] = target;
        await writeIndex(index);
        return selected.map((step) => step.name);
      });
    },

    async close() {
      await storage.close?.();
    },
  };
}

function _fresh(formatVersion: string): StoreIndex {
  const index = emptyIndex();
  index.properties[PROP_DB_VERSION] = formatVersion;
  return index;
}

function _require(index: StoreIndex, version: Version, store: string): void {
  if (!index.models.some((model) => model.version === version)) throw _notFound(`No such version: ${version}`, version, store);
}

function _notFound(message: string, version: number, store: string): PldError {
  return new PldError('PLD_ERR_PERSIST_VERSION_NOT_FOUND', message, { details: { version, store } });
}
