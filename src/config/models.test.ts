import { describe, expect, it } from 'vitest';
import { isModelPersister } from '../persistence/types.js';
import { createRegistry } from './builtins.js';
import { configFromObject } from './config.js';
import { configForModel, modelConfigs, selectModel } from './models.js';

const registry = createRegistry();
const mapping = [['x', 'float']];
const store = (name: string) => ({ __factory__: 'File', path: `/tmp/pld-models-test/${name}-{version}` });

const TWO = {
  server: { max_loaded_versions: 2 },
  predict_decorators: ['RequestLogger'],
  shared_note: 'kept',
  extra_service: { __factory__: 'PredictService', mapping, entry_point: '/extra' },
  models: {
    fraud: { model_persister: store('fraud'), model: { __factory__: 'DecisionTreeClassifier' }, predict_service: { __factory__: 'PredictService', mapping } },
    churn: { model_persister: store('churn'), service_metadata: { service_name: 'churn' }, max_loaded_versions: 5 },
  },
};

describe('models: several models in one config', () => {
  it("gives each entry its own keys over the shared top-level ones, never another model's components", () => {
    const fraud = configForModel(configFromObject(TWO, registry), 'fraud');
    expect(Object.keys(fraud.data).sort()).toEqual(['model', 'model_persister', 'predict_decorators', 'predict_service', 'server', 'shared_note']);
    expect(fraud.scope).toBe('models.fraud');
    expect(fraud.keyPath('model_persister')).toBe('models.fraud.model_persister');
  });

  it('lists the models in config order, with the top-level model first as `default` when it has a store', () => {
    expect(modelConfigs(configFromObject(TWO, registry)).map((m) => m.name)).toEqual(['fraud', 'churn']);
    const withRoot = configFromObject({ ...TWO, model_persister: store('root') }, registry);
    expect(modelConfigs(withRoot).map((m) => m.name)).toEqual(['default', 'fraud', 'churn']);
    expect(modelConfigs(configFromObject({ model_persister: store('one') }, registry)).map((m) => m.name)).toEqual(['default']);
  });

  it('selects the model --model names; without it the only one, else PLD_ERR_CONFIG_MODEL_REQUIRED naming them', () => {
    const config = configFromObject(TWO, registry);
    expect(selectModel(config, 'churn').value('max_loaded_versions')).toBe(5);
    expect(() => selectModel(config)).toThrow(expect.objectContaining({ code: 'PLD_ERR_CONFIG_MODEL_REQUIRED', message: expect.stringContaining("'fraud', 'churn'") }));
    expect(() => selectModel(config, 'nope')).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_CONFIG_UNKNOWN_MODEL', message: "Unknown model 'nope'; the config defines 'fraud', 'churn'" }),
    );
    const single = configFromObject({ model_persister: store('one') }, registry);
    expect(selectModel(single)).toBe(single);
    expect(selectModel(single, 'default')).toBe(single);
    expect(() => selectModel(single, 'fraud')).toThrow(expect.objectContaining({ code: 'PLD_ERR_CONFIG_UNKNOWN_MODEL' }));
    const one = configFromObject({ models: { fraud: TWO.models.fraud } }, registry);
    expect(selectModel(one).scope).toBe('models.fraud');
  });

  it('names the key path of a missing or invalid key inside an entry', async () => {
    expect(() => configFromObject({ models: { fraud: { model: { __factory__: 'DecisionTreeClassifier' } } } }, registry)).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_CONFIG_INVALID_PARAM', message: expect.stringMatching(/models\.fraud\.model_persister: required/) }),
    );
    expect(() => configFromObject({ models: { 'bad name': { model_persister: store('x') } } }, registry)).toThrow(/models\.bad name: 'bad name' is not a model name/);
    expect(() => configFromObject({ models: { fraud: { model_persister: store('x'), server: {} } } }, registry)).toThrow(/models\.fraud\.server: 'server' is server-wide/);
    expect(() => configFromObject({ models: { fraud: { model_persister: store('x'), max_loaded_versions: 0 } } }, registry)).toThrow(/models\.fraud\.max_loaded_versions/);
    expect(() => configFromObject({ models: { fraud: { model_persister: { __factory__: 'Fiel', path: 'x' } } } }, registry)).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_CONFIG_UNKNOWN_FACTORY', message: expect.stringContaining('models.fraud.model_persister.__factory__') }),
    );
    const fraud = configForModel(configFromObject({ models: { fraud: { model_persister: { __factory__: 'File' } } } }, registry), 'fraud');
    await expect(fraud.component('model_persister', 'persister', isModelPersister)).rejects.toThrow(/models\.fraud\.model_persister/);
    await expect(fraud.component('model', 'estimator', () => true)).rejects.toThrow(
      expect.objectContaining({ code: 'PLD_ERR_CONFIG_MISSING_KEY', message: expect.stringContaining("'models.fraud.model'") }),
    );
  });

  it("refuses an entry named 'default' beside a top-level store", () => {
    const config = configFromObject({ model_persister: store('root'), models: { default: { model_persister: store('d') } } }, registry);
    expect(() => modelConfigs(config)).toThrow(expect.objectContaining({ code: 'PLD_ERR_CONFIG_MODEL_NAME_TAKEN' }));
  });
});
