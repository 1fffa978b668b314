import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRegistry } from '../../config/builtins.js';
import { Frame } from '../../data/frame.js';
import { createEstimatorCodec } from '../../estimators/codec.js';
import { DummyClassifier } from '../../estimators/dummy/dummy-classifier.js';
import { createFilePersister } from '../../persistence/file.js';
import { toArtifact } from '../../persistence/model.js';
import type { ModelPersister, Version } from '../../persistence/types.js';
import { ModelHolder } from '../../service/model-holder.js';
import { ModelVersions } from './versions.js';

const X = new Frame({ a: Float64Array.of(1, 2, 3) });
const VERSIONS = 20;
let dir: string;
let persister: ModelPersister;
const codec = createEstimatorCodec(createRegistry());

// Twenty versions in a real File store; version k predicts `c<k>`, so a prediction tells which version answered.
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pld-versions-'));
  persister = createFilePersister({ path: 'model-{version}' }, { baseDir: dir });
  for (let k = 1; k <= VERSIONS; k++) {
    const model = await new DummyClassifier({ strategy: 'most_frequent' }).fit(X, [`c${k}`, `c${k}`, 'z']);
    await persister.write(toArtifact(model, { train_timestamp: new Date().toISOString() }, codec) as never);
  }
  await persister.activate(VERSIONS as Version);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function predicted(versions: ModelVersions, version: number): Promise<string> {
  const model = await versions.get(version);
  return (await model.estimator.predict(X))[0] as string;
}

describe('ModelVersions (the per-model LRU of inactive versions)', () => {
  it('walking 20 versions with max_loaded_versions=3 never holds more than 3, evicts the least recently used and reports loads and evictions', async () => {
    const holder = new ModelHolder('fraud', persister, codec);
    await holder.load();
    const versions = new ModelVersions(holder, 3);
    const loads: number[] = [];
    const evicted: number[] = [];
    versions.observe({ loaded: ({ version, seconds }) => (expect(seconds).toBeGreaterThanOrEqual(0), loads.push(version)), evicted: ({ version }) => evicted.push(version) });
    for (let k = 1; k <= VERSIONS; k++) {
      expect(await predicted(versions, k)).toBe(`c${k}`);
      expect(versions.cached.length).toBeLessThanOrEqual(3);
    }
    // The active version (20) comes from the holder: never read again, never in the LRU.
    expect(loads).toEqual(Array.from({ length: VERSIONS - 1 }, (_, i) => i + 1));
    expect(versions.cached).toEqual([17, 18, 19]);
    expect(evicted).toEqual(Array.from({ length: VERSIONS - 4 }, (_, i) => i + 1));
    // A hit makes 17 the most recent, so 18 goes next.
    await versions.get(17);
    await versions.get(5);
    expect(versions.cached).toEqual([19, 17, 5]);
  });

  it('reads a version once however many requests ask for it at the same time, and does not keep a failed read', async () => {
    const holder = new ModelHolder('fraud', persister, codec);
    const read = vi.spyOn(persister, 'read');
    const versions = new ModelVersions(holder, 3);
    const answers = await Promise.all(Array.from({ length: 10 }, () => predicted(versions, 7)));
    expect(new Set(answers)).toEqual(new Set(['c7']));
    expect(read).toHaveBeenCalledTimes(1);
    await expect(versions.get(99)).rejects.toMatchObject({ code: 'PLD_ERR_PERSIST_VERSION_NOT_FOUND', status: 404 });
    expect(versions.cached).toEqual([7]);
  });

  it('keeps the version the holder served before a swap, so pinning it costs no read, and drops the newly active one', async () => {
    await persister.activate(3 as Version);
    const holder = new ModelHolder('fraud', persister, codec);
    await holder.load();
    const versions = new ModelVersions(holder, 3);
    await versions.get(4);
    await persister.activate(4 as Version);
    await holder.load();
    expect(versions.cached).toEqual([3]);
    const read = vi.spyOn(persister, 'read');
    expect(await predicted(versions, 3)).toBe('c3');
    expect(read).not.toHaveBeenCalled();
  });

  it('lets evicted versions be garbage-collected, so memory stays bounded by max_loaded_versions', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const holder = new ModelHolder('fraud', persister, codec);
    const versions = new ModelVersions(holder, 3);
    const refs: WeakRef<object>[] = [];
    for (let k = 1; k <= VERSIONS; k++) refs.push(new WeakRef(await versions.get(k)));
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
    const alive = refs.map((ref, i) => (ref.deref() === undefined ? undefined : i + 1)).filter((v) => v !== undefined);
    expect(alive).toEqual([18, 19, 20]);
  });
});
