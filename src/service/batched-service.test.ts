import { describe, expect, it } from 'vitest';
import { IRIS_FEATURES, loadIris } from '../../test/fixtures/iris.js';
import type { Frame } from '../data/frame.js';
import type { Params } from '../estimators/types.js';
import { DecisionTreeClassifier } from '../estimators/tree/decision-tree-classifier.js';
import { BatchedService } from './batched-service.js';
import { type PredictInput, type PredictResponse, PredictService, type ServedModel } from './predict-service.js';

const { X, y } = loadIris();
const v1: ServedModel = { estimator: await new DecisionTreeClassifier().fit(X, y), metadata: { version: 1 } };
// A stump: it tells two classes apart only, so its answers differ from version 1's.
const v2: ServedModel = { estimator: await new DecisionTreeClassifier({ max_depth: 1 }).fit(X, y), metadata: { version: 2 } };
const mapping = IRIS_FEATURES.map((name) => [name, 'float'] as [string, 'float']);
const settings = { maxBatchSize: 64, maxBatchWaitMs: 50 };
const samples = Array.from({ length: 12 }, (_, i) => Object.fromEntries(IRIS_FEATURES.map((name) => [name, X.numeric(name)[i * 12]])));
const single = (sample: Record<string, unknown>): PredictInput => ({ kind: 'single', sample, query: {} });

/** A PredictService that records the version and row count of every model call. */
class Recording extends PredictService {
  calls: [number, number][] = [];
  override predict(model: ServedModel, frame: Frame, params: Params) {
    this.calls.push([model.metadata.version, frame.nRows]);
    return super.predict(model, frame, params);
  }
}

describe('BatchedService', () => {
  it('answers concurrent requests exactly as the plain service does, in fewer model calls', async () => {
    for (const predict_proba of [false, true]) {
      const service = new Recording({ mapping, predict_proba });
      const batched = new BatchedService(service, 'iris', settings);
      const expected = samples.map((sample) => new PredictService({ mapping, predict_proba }).handle(v1, single(sample)));
      const answers = await Promise.all(samples.map((sample) => batched.handle(v1, single(sample))));
      expect(answers).toEqual(await Promise.all(expected));
      expect(service.calls).toEqual([
        [1, 1],
        [1, 11],
      ]);
    }
  });

  it('never mixes model versions in one call; each answer names the version that made it', async () => {
    const service = new Recording({ mapping });
    const batched = new BatchedService(service, 'iris', settings);
    const models = samples.map((_, i) => (i % 3 === 0 ? v2 : v1));
    const answers = (await Promise.all(samples.map((sample, i) => batched.handle(models[i], single(sample))))) as PredictResponse[];
    answers.forEach((answer, i) => {
      expect(answer.body.metadata.model_version).toBe(models[i].metadata.version);
      expect(answer.body.result).toEqual((new PredictService({ mapping }).handle(models[i], single(samples[i])) as PredictResponse).body.result);
    });
    // One batch per version besides the first request of each, which ran at once.
    expect(service.calls).toEqual([
      [2, 1],
      [1, 1],
      [2, 3],
      [1, 7],
    ]);
  });

  it('keeps a reloaded copy of the same version apart from the old one (a hot swap)', async () => {
    const service = new Recording({ mapping });
    const batched = new BatchedService(service, 'iris', settings);
    const reloaded: ServedModel = { estimator: await new DecisionTreeClassifier({ max_depth: 1 }).fit(X, y), metadata: { version: 1 } };
    const models = samples.map((_, i) => (i < 6 ? v1 : reloaded));
    const answers = (await Promise.all(samples.map((sample, i) => batched.handle(models[i], single(sample))))) as PredictResponse[];
    answers.forEach((answer, i) => {
      expect(answer.body.result).toEqual((new PredictService({ mapping }).handle(models[i], single(samples[i])) as PredictResponse).body.result);
    });
    // Each copy's first request runs at once; the rest form one batch per copy.
    expect(service.calls).toEqual([
      [1, 1],
      [1, 1],
      [1, 5],
      [1, 5],
    ]);
  });

  it('fails only the request whose input does not convert; the others are batched and answered', async () => {
    const service = new Recording({ mapping });
    const batched = new BatchedService(service, 'iris', settings);
    const inputs = [
      single(samples[0]),
      single({ ...samples[1], 'petal width': 'wide' }),
      { kind: 'batch', body: [samples[2], samples[3]], query: {} } as PredictInput,
      single(samples[4]),
    ];
    const answers = (await Promise.all(inputs.map((input) => batched.handle(v1, input)))) as PredictResponse[];
    expect(answers.map((answer) => answer.status)).toEqual([200, 400, 200, 200]);
    expect(answers[1].body.metadata.error_message).toMatch(/Field 'petal width' must be a finite number/);
    expect(answers[2].body.result).toHaveLength(2);
    expect(service.calls).toEqual([
      [1, 1],
      [1, 3],
    ]);
  });

  it('batches only services that run the standard steps', () => {
    class OwnHandle extends PredictService {
      override handle(model: ServedModel, input: PredictInput) {
        return super.handle(model, input);
      }
    }
    expect(BatchedService.supports(new PredictService({ mapping }))).toBe(true);
    expect(BatchedService.supports(new Recording({ mapping }))).toBe(true);
    expect(BatchedService.supports(new OwnHandle({ mapping }))).toBe(false);
  });
});
