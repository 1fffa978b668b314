import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPldError } from '../../src/errors.js';
import { ARTIFACT_FORMAT, type ModelArtifact, type ModelPersister, type Version } from '../../src/persistence/types.js';

/** What a backend's test hands the contract suite for each test: a fresh, empty store. */
export interface PersisterUnderTest {
  readonly persister: ModelPersister;
  readonly cleanup?: () => Promise<void>;
  /** Flips bytes of a stored version behind the persister's back; absent = the corruption case is skipped. */
  readonly corrupt?: (version: number) => Promise<void>;
}

/**
 * The contract every ModelPersister backend must pass (unstorage's `testDriver` idea): each backend's
 * test file is a few lines calling this with a factory of fresh, empty stores.
 * @example
 * testPersister('memory', async () => ({ persister: createVersionedPersister({ storage: memoryStorage() }) }));
 */
export function testPersister(name: string, make: () => Promise<PersisterUnderTest>): void {
  describe(`ModelPersister contract: ${name}`, () => {
    let subject: PersisterUnderTest;
    let store: ModelPersister;
    beforeEach(async () => {
      subject = await make();
      store = subject.persister;
    });
    afterEach(async () => {
      await store.close?.();
      await subject.cleanup?.();
    });

    it('round-trips an artifact: typed arrays bit-exact, metadata kept, checksum and size set', async () => {
      const original = sampleArtifact();
      const version = await store.write(original);
      const read = await store.read(version);
      expect(read.format).toBe(ARTIFACT_FORMAT);
      expect(read.factory).toBe(original.factory);
      expect(read.params).toEqual(original.params);
      const state = read.state as ReturnType<typeof sampleState>;
      const expected = sampleState();
      expect(state.thresholds).toBeInstanceOf(Float64Array);
      expect(_bits(state.thresholds)).toEqual(_bits(expected.thresholds));
      expect(state.features).toBeInstanceOf(Int32Array);
      expect([...state.features]).toEqual([...expected.features]);
      expect(state.weights).toBeInstanceOf(Float32Array);
      expect(_bits(state.weights)).toEqual(_bits(expected.weights));
      expect(state.classes).toEqual(expected.classes);
      expect(read.blobs?.['model.onnx']).toEqual(new Uint8Array([0, 1, 2, 255]));
      expect(read.metadata.version).toBe(version);
      expect(read.metadata.score_train).toBe(0.93);
      expect(read.metadata.train_timestamp).toBe('2024-05-01T12:00:00.000Z');
      expect(read.metadata.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(read.metadata.size).toBeGreaterThan(0);
    });

    it('hands out increasing versions 1, 2, 3 and keeps them inactive', async () => {
      const versions = [await store.write(sampleArtifact()), await store.write(sampleArtifact()), await store.write(sampleArtifact())];
      expect(versions).toEqual([1, 2, 3]);
      expect((await store.listProperties())['active-model']).toBeUndefined();
      await expectCode(store.read(), 'PLD_ERR_PERSIST_NO_ACTIVE_MODEL');
      if (store.activeVersion) expect(await store.activeVersion()).toBeNull();
    });

    it('reads the active version after activate', async () => {
      await store.write(sampleArtifact({ score_train: 0.1 }));
      const second = await store.write(sampleArtifact({ score_train: 0.2 }));
      await store.activate(second);
      expect((await store.read()).metadata).toMatchObject({ version: 2, score_train: 0.2 });
      if (store.activeVersion) expect(await store.activeVersion()).toBe(2);
    });

    it('lists models sorted by version and properties as strings', async () => {
      for (let i = 0; i < 3; i += 1) await store.write(sampleArtifact());
      await store.activate(2 as Version);
      expect((await store.listModels()).map((model) => model.version)).toEqual([1, 2, 3]);
      const properties = await store.listProperties();
      expect(properties['active-model']).toBe('2');
      expect(typeof properties['db-version']).toBe('string');
    });

    it('rejects unknown versions in read, activate and delete', async () => {
      await store.write(sampleArtifact());
      const missing = await expectCode(store.read(7 as Version), 'PLD_ERR_PERSIST_VERSION_NOT_FOUND');
      expect(missing.message).toContain('No such version: 7');
      await expectCode(store.activate(7 as Version), 'PLD_ERR_PERSIST_VERSION_NOT_FOUND');
      await expectCode(store.delete(7 as Version), 'PLD_ERR_PERSIST_VERSION_NOT_FOUND');
    });

    it('deletes a version and never reuses a deleted newest version', async () => {
      await store.write(sampleArtifact());
      const second = await store.write(sampleArtifact());
      await store.delete(second);
      expect((await store.listModels()).map((model) => model.version)).toEqual([1]);
      await expectCode(store.read(second), 'PLD_ERR_PERSIST_VERSION_NOT_FOUND');
      expect(await store.write(sampleArtifact())).toBe(3);
    });

    it('refuses to delete the active version', async () => {
      const version = await store.write(sampleArtifact());
      await store.activate(version);
      await expectCode(store.delete(version), 'PLD_ERR_PERSIST_ACTIVE_DELETE');
      expect((await store.read()).metadata.version).toBe(version);
    });

    it('deletes the active version when forced, leaving no active model', async () => {
      const first = await store.write(sampleArtifact());
      const second = await store.write(sampleArtifact());
      await store.activate(second);
      await store.delete(second, { force: true });
      expect((await store.listModels()).map((model) => model.version)).toEqual([first]);
      expect((await store.listProperties())['active-model']).toBeUndefined();
      await expectCode(store.read(), 'PLD_ERR_PERSIST_NO_ACTIVE_MODEL');
      expect(await store.write(sampleArtifact())).toBe(3);
    });

    it('records activations in the history', async (ctx) => {
      if (!store.history) return ctx.skip('this backend has no history() capability');
      await store.write(sampleArtifact());
      await store.write(sampleArtifact());
      await store.activate(1 as Version);
      await store.activate(2 as Version);
      const history = await store.history();
      expect(history.map(({ version, previous }) => ({ version, previous }))).toEqual([
        { version: 1, previous: null },
        { version: 2, previous: 1 },
      ]);
      expect(Number.isNaN(Date.parse(history[1].at))).toBe(false);
    });

    it('sets and removes a property of its own, leaving active-model and the versions alone', async (ctx) => {
      if (!store.setProperty) return ctx.skip('this backend has no setProperty() capability');
      await store.write(sampleArtifact());
      await store.activate(1 as Version);
      await store.setProperty('traffic-policy', '{"mode":"shadow","challenger":1}');
      expect(await store.listProperties()).toMatchObject({ 'active-model': '1', 'traffic-policy': '{"mode":"shadow","challenger":1}' });
      await store.setProperty('traffic-policy', '{"mode":"none"}');
      expect((await store.listProperties())['traffic-policy']).toBe('{"mode":"none"}');
      await store.setProperty('traffic-policy', undefined);
      expect((await store.listProperties())['traffic-policy']).toBeUndefined();
      expect((await store.listProperties())['active-model']).toBe('1');
      expect(await store.write(sampleArtifact())).toBe(2);
    });

    it('gives 10 concurrent writes 10 distinct versions', async () => {
      const versions = await Promise.all(Array.from({ length: 10 }, (_, i) => store.write(sampleArtifact({ score_train: i / 10 }))));
      expect([...versions].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const models = await store.listModels();
      expect(models.map((model) => model.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      for (const [i, version] of versions.entries()) expect((await store.read(version)).metadata.score_train).toBe(i / 10);
    });

    it('detects a corrupted artifact on read', async (ctx) => {
      if (!subject.corrupt) return ctx.skip('this backend gave no corrupt() hook to damage stored bytes');
      const version = await store.write(sampleArtifact());
      await subject.corrupt(version);
      await expectCode(store.read(version), 'PLD_ERR_PERSIST_CORRUPT');
    });
  });
}

/**
 * A small artifact with every kind of content a store must keep: typed arrays (with NaN, -0 and
 * Infinity), nested JSON, metadata and a binary blob.
 * @example
 * await persister.write(sampleArtifact({ score_train: 0.5 }));
 */
export function sampleArtifact(metadata: Record<string, unknown> = {}): ModelArtifact {
  return {
    format: ARTIFACT_FORMAT,
    factory: 'DecisionTreeClassifier',
    params: { max_depth: 3, criterion: 'gini' },
    state: sampleState(),
    metadata: { version: 0, train_timestamp: '2024-05-01T12:00:00.000Z', score_train: 0.93, ...metadata },
    blobs: { 'model.onnx': new Uint8Array([0, 1, 2, 255]) },
  };
}

function sampleState() {
  return {
    thresholds: new Float64Array([0.1, -0, Number.NaN, Number.POSITIVE_INFINITY, 5e-324, 1 / 3]),
    features: new Int32Array([0, 3, -1, 2147483647]),
    weights: new Float32Array([1.5, Number.NaN, -2.25]),
    classes: ['setosa', 'versicolor'],
  };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected the call to fail with ${code}`).toBeDefined();
  expect(isPldError(error) ? error.code : error).toBe(code);
  return error as Error;
}

function _bits(values: Float64Array | Float32Array): number[] {
  return [...new Uint8Array(values.buffer, values.byteOffset, values.byteLength)];
}
