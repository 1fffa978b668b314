import { describe, expect, it } from 'vitest';
import { loadIris, IRIS_FEATURES } from '../../test/fixtures/iris.js';
import { DecisionTreeClassifier } from '../estimators/tree/decision-tree-classifier.js';
import { PredictService, type ServedModel } from './predict-service.js';

const { X, y } = loadIris();
const model: ServedModel = { estimator: await new DecisionTreeClassifier().fit(X, y), metadata: { version: 1 } };
const mapping = IRIS_FEATURES.map((name) => [name, 'float'] as [string, 'float']);
const setosa = { 'sepal length': '5.2', 'sepal width': '3.5', 'petal length': '1.5', 'petal width': '0.2' };

function service(extra: Record<string, unknown> = {}): PredictService {
  const created = new PredictService({ mapping, ...extra });
  created.serviceMetadata = { service_name: 'iris', service_version: '0.1' };
  return created;
}

describe('PredictService', () => {
  it("answers one sample with Palladium's shape and a single result", async () => {
    const response = await service().handle(model, { kind: 'single', sample: setosa, query: setosa });
    expect(response).toEqual({
      status: 200,
      body: { metadata: { status: 'OK', error_code: 0, service_name: 'iris', service_version: '0.1', model_version: 1 }, result: 'Iris-setosa' },
    });
  });

  it('answers a batch with a list, in order, accepting JSON numbers and strings', async () => {
    const body = [
      { 'sepal length': 5.2, 'sepal width': 3.5, 'petal length': 1.5, 'petal width': 0.2 },
      { 'sepal length': '6.9', 'sepal width': 3.1, 'petal length': 5.4, 'petal width': 2.1 },
    ];
    const response = await service().handle(model, { kind: 'batch', body, query: {} });
    expect(response.body.result).toEqual(['Iris-setosa', 'Iris-virginica']);
  });

  it('returns class probabilities with predict_proba, one row per sample summing to 1', async () => {
    const response = await service({ predict_proba: true }).handle(model, { kind: 'single', sample: setosa, query: {} });
    expect(response.body.result).toEqual([1, 0, 0]);
  });

  it.each([
    ['missing field', { kind: 'single', sample: { 'sepal length': '1' }, query: {} }, 'PLD_ERR_PREDICT_MISSING_FIELD', /missing field 'sepal width'/],
    ['non-numeric', { kind: 'single', sample: { ...setosa, 'petal width': 'abc' }, query: {} }, 'PLD_ERR_PREDICT_BAD_INPUT', /Field 'petal width' must be a finite number/],
    ['NaN', { kind: 'single', sample: { ...setosa, 'sepal width': 'NaN' }, query: {} }, 'PLD_ERR_PREDICT_BAD_INPUT', /Field 'sepal width'/],
    ['object body', { kind: 'batch', body: setosa, query: {} }, 'PLD_ERR_PREDICT_BAD_INPUT', /must be a JSON list of objects, got an object/],
    ['empty list', { kind: 'batch', body: [], query: {} }, 'PLD_ERR_PREDICT_BAD_INPUT', /empty list/],
    ['list of numbers', { kind: 'batch', body: [1], query: {} }, 'PLD_ERR_PREDICT_BAD_INPUT', /item 0 must be an object/],
    ['null value in batch', { kind: 'batch', body: [{ ...setosa, 'petal width': null }], query: {} }, 'PLD_ERR_PREDICT_BAD_INPUT', /'petal width'.*got null/],
    ['missing key in batch', { kind: 'batch', body: [setosa, { 'sepal length': 1 }], query: {} }, 'PLD_ERR_PREDICT_MISSING_FIELD', /item 1: missing field 'sepal width'/],
  ] as const)('answers a 400 for %s, naming the problem, with service metadata', async (_name, input, code, message) => {
    const response = await service().handle(model, input as never);
    expect(response.status).toBe(400);
    expect(response.body.metadata).toMatchObject({ status: 'ERROR', error_type: code, service_name: 'iris' });
    expect(response.body.metadata.error_code).not.toBe(0);
    expect(response.body.metadata.error_message).toMatch(message);
    expect(response.body.result).toBeUndefined();
  });

  it('reads params from the query, typed, and passes them to predict', async () => {
    const seen: unknown[] = [];
    const spy: ServedModel = {
      metadata: { version: 1 },
      estimator: Object.assign(Object.create(model.estimator), { predict: (_x: unknown, params: unknown) => (seen.push(params), ['x']) }),
    };
    await service({ params: [['threshold', 'float']] }).handle(spy, { kind: 'single', sample: setosa, query: { threshold: '0.3' } });
    await service({ params: [['threshold', 'float']] }).handle(spy, { kind: 'single', sample: setosa, query: {} });
    expect(seen).toEqual([{ threshold: 0.3 }, {}]);
  });

  it('turns an unexpected model error into a 500 with the error text, never a throw', async () => {
    const broken: ServedModel = {
      metadata: { version: 1 },
      estimator: Object.assign(Object.create(model.estimator), {
        predict: () => {
          throw new RangeError('kaputt');
        },
      }),
    };
    const response = await service().handle(broken, { kind: 'single', sample: setosa, query: {} });
    expect(response.status).toBe(500);
    expect(response.body.metadata).toMatchObject({ status: 'ERROR', error_type: 'PLD_ERR_PREDICT_FAILED', error_message: 'RangeError: kaputt' });
  });

  it('lets a subclass override a step, as Palladium documents (a prediction_id on every response)', async () => {
    class WithId extends PredictService {
      override responseFromPrediction(...args: Parameters<PredictService['responseFromPrediction']>) {
        const response = super.responseFromPrediction(...args);
        return { ...response, body: { ...response.body, metadata: { ...response.body.metadata, prediction_id: 'p-1' } } };
      }
    }
    const response = await new WithId({ mapping }).handle(model, { kind: 'single', sample: setosa, query: {} });
    expect(response.body.metadata.prediction_id).toBe('p-1');
  });

  it('validates its options: unknown keys, bad types, unwrap_sample with several fields', () => {
    expect(() => new PredictService({ mapping: [['a', 'double' as 'float']] })).toThrow();
    expect(() => new PredictService({ mapping, unwrap_sample: true })).toThrow(/exactly one mapping entry/);
  });
});
