import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { copyExample, pld } from './helpers.js';

const schema = JSON.parse(readFileSync(new URL('../../dist/palladium-config.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
const example = (file: string) => readFileSync(new URL(`../../examples/iris/${file}`, import.meta.url), 'utf8');

describe('the config JSON Schema (dist/palladium-config.schema.json)', () => {
  it('accepts the example configs', () => {
    for (const config of [JSON.parse(example('config.json')), parseYaml(example('config.yaml'))]) {
      expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it.each([
    ['an unknown factory', { model: { __factory__: 'sklearn.tree.Nope' } }, '/model'],
    ['a wrong parameter type', { model: { __factory__: 'DecisionTreeClassifier', min_samples_leaf: 'one' } }, '/model'],
    ['an unknown parameter', { model_persister: { __factory__: 'File', path: 'm-{version}', pth: 1 } }, '/model_persister'],
    ['a missing required parameter', { dataset_loader_train: { __factory__: 'CSV' } }, '/dataset_loader_train'],
    ['a bad mapping type', { predict_service: { __factory__: 'PredictService', mapping: [['a', 'double']] } }, '/predict_service'],
    ['a bad server port', { server: { port: 'http' } }, '/server/port'],
    ['a model entry without its store', { models: { fraud: { model: { __factory__: 'DecisionTreeClassifier' } } } }, '/models/fraud'],
    [
      'a bad component in a model entry',
      { models: { fraud: { model_persister: { __factory__: 'File', path: 'm-{version}' }, model: { __factory__: 'Nope' } } } },
      '/models/fraud/model',
    ],
    ['a model name that is no URL segment', { models: { 'fraud model': { model_persister: { __factory__: 'File', path: 'm-{version}' } } } }, '/models'],
    ['a server-wide key in a model entry', { models: { fraud: { model_persister: { __factory__: 'File', path: 'm-{version}' }, server: { port: 1 } } } }, '/models/fraud/server'],
  ])('rejects %s, naming the key path', (_name, config, path) => {
    expect(validate(config)).toBe(false);
    expect(validate.errors?.some((error) => error.instancePath.startsWith(path))).toBe(true);
  });

  it('accepts a models section with components, services and max_loaded_versions per entry', () => {
    const store = { __factory__: 'File', path: 'fraud-{version}' };
    const service = { __factory__: 'PredictService', mapping: [['amount', 'float']] };
    const config = {
      server: { max_loaded_versions: 3 },
      models: {
        fraud: {
          model_persister: store,
          model: { __factory__: 'DecisionTreeClassifier' },
          predict_service: service,
          proba_service: { ...service, entry_point: '/proba', predict_proba: true },
          max_loaded_versions: 2,
          service_metadata: { service_name: 'fraud' },
        },
      },
    };
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('accepts __copy__ dicts, user components and extra keys', () => {
    expect(validate({ model: { __copy__: 'other' }, extra_service: { __factory__: './svc.ts#Svc', anything: 1 }, notes: 'free text' })).toBe(true);
  });
});

describe('pld config', () => {
  it('--validate creates every component and lists them; --print shows the merged config; --schema prints the schema', () => {
    const dir = copyExample();
    const validated = pld(dir, ['config', '--validate', '--json']);
    expect(validated.status, validated.stderr).toBe(0);
    expect(JSON.parse(validated.stdout).components.map((c: { key: string }) => c.key)).toEqual([
      'dataset_loader_train',
      'dataset_loader_test',
      'model',
      'model_persister',
      'predict_service',
    ]);
    const printed = JSON.parse(pld(dir, ['config', '--print'], { env: { PALLADIUM_CONFIG: 'config.yaml' } }).stdout);
    expect(printed.dataset_loader_test).toMatchObject({ __factory__: 'palladium.dataset.Table', skiprows: 100, nrows: null });
    expect(JSON.parse(pld(dir, ['config', '--schema']).stdout).title).toBe('Palladium-TS configuration');
  });

  it('--validate fails on a bad component with its code and key path', () => {
    const dir = copyExample();
    writeFileSync(path.join(dir, 'broken.json'), JSON.stringify({ model: { __factory__: 'DecisionTreeClassifier', max_depth: 0 } }));
    const broken = pld(dir, ['config', '--validate'], { env: { PALLADIUM_CONFIG: 'config.json,broken.json' } });
    expect(broken.stderr).toMatch(/PLD_ERR_CONFIG_INVALID_PARAM: .*broken\.json: DecisionTreeClassifier: model\.max_depth/);
    expect(broken.status).toBe(3);
  });
});
