import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../config/builtins.js';
import { configFromObject } from '../config/config.js';
import type { Frame } from '../data/frame.js';
import type { Estimator } from '../estimators/types.js';
import { PredictService, type ServedModel } from '../service/predict-service.js';
import { createServices, serviceKeys } from './services.js';

const SERVICE_MODULE = fileURLToPath(new URL('../service/predict-service.ts', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'pld-services-'));
writeFileSync(
  path.join(dir, 'my-service.ts'),
  [
    `import { PredictService } from ${JSON.stringify(SERVICE_MODULE)};`,
    'let next = 0;',
    'export class MyPredictService extends PredictService {',
    '  responseFromPrediction(prediction: any, single: boolean, model?: any) {',
    '    const response = super.responseFromPrediction(prediction, single, model);',
    '    response.body.metadata.prediction_id = `p-${++next}`;',
    '    return response;',
    '  }',
    '}',
    'export class NotAService { constructor(readonly params: unknown) {} }',
  ].join('\n'),
);
const mapping = [['text', 'str']];

describe('serviceKeys', () => {
  it('finds predict_service, registered services and user PredictService subclasses under any key, in config order', async () => {
    const config = configFromObject(
      {
        id_service: { __factory__: './my-service.ts#MyPredictService', mapping, entry_point: '/with-id' },
        other: { __factory__: './my-service.ts#NotAService' },
        predict_service: { __factory__: 'PredictService', mapping },
        second: { __factory__: 'palladium.server.PredictService', mapping, entry_point: '/second' },
        service_metadata: { service_name: 'x' },
      },
      createRegistry(),
      dir,
    );
    expect(await serviceKeys(config)).toEqual(['id_service', 'predict_service', 'second']);
    const services = await createServices(config);
    expect(services.map((service) => service.entryPoint)).toEqual(['/with-id', '/predict', '/second']);
    const model: ServedModel = { estimator: _keywordModel(), metadata: { version: 1 } };
    const first = await services[0].handle(model, { kind: 'single', sample: { text: 'cheap spam' }, query: {} });
    const second = await services[0].handle(model, { kind: 'single', sample: { text: 'hello' }, query: {} });
    expect(first.body).toEqual({ metadata: { status: 'OK', error_code: 0, model_version: 1, prediction_id: 'p-1' }, result: 'spam' });
    expect(second.body.metadata.prediction_id).toBe('p-2');
  });
});

describe('unwrap_sample', () => {
  const service = new PredictService({ mapping: [['text', 'str']], unwrap_sample: true });

  it('gives a text model a one-column text Frame, from a query or a JSON batch', async () => {
    const frame = service.samplesFromData({} as ServedModel, { kind: 'batch', body: [{ text: 'cheap spam' }, { text: 42 }], query: {} });
    expect(frame.columns).toEqual(['text']);
    expect(frame.column('text')).toEqual(['cheap spam', '42']);
    const model: ServedModel = { estimator: _keywordModel(), metadata: { version: 1 } };
    expect((await service.handle(model, { kind: 'batch', body: [{ text: 'spam!' }, { text: 'hi' }], query: {} })).body.result).toEqual(['spam', 'ham']);
    expect((await service.handle(model, { kind: 'single', sample: { text: 'hello' }, query: {} })).body.result).toBe('ham');
  });

  it('needs exactly one mapping entry', () => {
    expect(
      () =>
        new PredictService({
          mapping: [
            ['a', 'str'],
            ['b', 'str'],
          ],
          unwrap_sample: true,
        }),
    ).toThrow(/unwrap_sample needs exactly one mapping entry/);
  });
});

// A tiny text model: 'spam' when the text contains the word, which needs a text column to work at all.
function _keywordModel(): Estimator {
  const model = {
    estimatorType: 'classifier',
    fit: () => model,
    predict: (X: Frame) => {
      const column = X.column('text');
      if (column instanceof Float64Array) throw new Error('expected a text column');
      return column.map((text) => (text?.includes('spam') ? 'spam' : 'ham'));
    },
    getParams: () => ({}),
    setParams: () => model,
    clone: () => model,
    isFitted: () => true,
    getState: () => ({}),
    setState: () => model,
  };
  return model as unknown as Estimator;
}
