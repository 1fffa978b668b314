import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../../config/builtins.js';
import { Frame } from '../../data/frame.js';
import { createEstimatorCodec } from '../../estimators/codec.js';
import { DummyClassifier } from '../../estimators/dummy/dummy-classifier.js';
import { createFilePersister } from '../../persistence/file.js';
import { toArtifact } from '../../persistence/model.js';
import type { ModelPersister, Version } from '../../persistence/types.js';
import { ModelHolder } from '../../service/model-holder.js';
import { PinnedVersions } from './versions.js';

const X = new Frame({ a: Float64Array.of(1, 2, 3) });
let dir: string;
let persister: ModelPersister;
const codec = createEstimatorCodec(createRegistry());

// Five versions in a real File store; version k always predicts `c<k>`, so a prediction tells which version answered.
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pld-pinned-'));
  persister = createFilePersister({ path: 'model-{version}' }, { baseDir: dir });
  for (let k = 1; k <= 5; k++) {
    const model = await new DummyClassifier({ strategy: 'most_frequent' }).fit(X, [`c${k}`, `c${k}`, 'z']);
    await persister.write(toArtifact(model, { train_timestamp: new Date().toISOString() }, codec) as never);
  }
  await persister.activate(1 as Version);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function predicted(versions: PinnedVersions, version: number): Promise<string> {
  const model = await versions.get(version);
  return (await model.estimator.predict(X))[0] as string;
}

describe('PinnedVersions', () => {
  it('serves the active version from the holder and keeps at most `capacity` other versions, least recently used out first', async () => {
    const holder = new ModelHolder('default', persister, codec);
    await holder.load();
    const versions = new PinnedVersions(holder, 2);
    expect(await versions.get(1)).toBe(holder.current);
    expect(versions.cached).toEqual([]);

    expect(await predicted(versions, 2)).toBe('c2');
    expect(await predicted(versions, 3)).toBe('c3');
    expect(versions.cached).toEqual([2, 3]);
    const two = await versions.get(2);
    expect(versions.cached).toEqual([3, 2]);
    expect(await predicted(versions, 4)).toBe('c4');
    expect(versions.cached).toEqual([2, 4]);
    // A cache hit is the same loaded model, not a second read.
    expect(await versions.get(2)).toBe(two);
  });

  it('shares one read between concurrent first requests and never caches a failed read', async () => {
    const holder = new ModelHolder('default', persister, codec);
    const versions = new PinnedVersions(holder, 4);
    const [a, b] = await Promise.all([versions.get(5), versions.get(5)]);
    expect(a).toBe(b);
    await expect(versions.get(9)).rejects.toMatchObject({ code: 'PLD_ERR_PERSIST_VERSION_NOT_FOUND' });
    expect(versions.cached).toEqual([5]);
  });
});
