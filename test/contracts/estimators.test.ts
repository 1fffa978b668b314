import { createRegistry } from '../../src/config/builtins.js';
import { ColumnTransformer } from '../../src/estimators/compose/column-transformer.js';
import { Pipeline } from '../../src/estimators/compose/pipeline.js';
import { OneHotEncoder } from '../../src/estimators/preprocessing/one-hot-encoder.js';
import { SimpleImputer } from '../../src/estimators/preprocessing/simple-imputer.js';
import { StandardScaler } from '../../src/estimators/preprocessing/standard-scaler.js';
import { SVC } from '../../src/estimators/svm/svc.js';
import { DecisionTreeClassifier } from '../../src/estimators/tree/decision-tree-classifier.js';
import { type EstimatorCase, testEstimator } from './estimator.js';
import { externalContractCase } from './external-case.js';
import { onnxContractCase } from './onnx-case.js';

const registry = createRegistry();

/**
 * Per-name cases: composites get a factory, transformers their data set, and any check an estimator
 * cannot support is skipped with the reason. Every other registry entry runs the full contract.
 */
const CASES: Record<string, EstimatorCase> = {
  Pipeline: {
    make: (params) =>
      new Pipeline({
        steps: [
          ['scale', new StandardScaler()],
          ['clf', new DecisionTreeClassifier()],
        ],
        ...params,
      }),
    config: {
      steps: [
        ['scale', { __factory__: 'StandardScaler' }],
        ['clf', { __factory__: 'DecisionTreeClassifier' }],
      ],
    },
    badParam: ['verbose', 'loud'],
  },
  ColumnTransformer: {
    make: (params) =>
      new ColumnTransformer({
        transformers: [
          ['impute', new SimpleImputer({ strategy: 'most_frequent' }), ['color']],
          ['onehot', new OneHotEncoder({ handle_unknown: 'ignore' }), ['shape']],
        ],
        remainder: 'passthrough',
        ...params,
      }),
    config: {
      transformers: [
        ['impute', { __factory__: 'SimpleImputer', strategy: 'most_frequent' }, ['color']],
        ['onehot', { __factory__: 'OneHotEncoder', handle_unknown: 'ignore' }, ['shape']],
      ],
      remainder: 'passthrough',
    },
    data: 'categorical',
  },
  OneHotEncoder: { data: 'categorical' },
  OrdinalEncoder: { data: 'categorical', altParam: { handle_unknown: 'use_encoded_value', unknown_value: -1 } },
  SimpleImputer: {
    data: 'categorical',
    config: { strategy: 'most_frequent' },
    altParam: { strategy: 'constant' },
    make: (params) => new SimpleImputer({ strategy: 'most_frequent', ...params }),
  },
  OnnxModel: await onnxContractCase(),
  ExternalModel: externalContractCase(),
  // probability: true so the proba and persistence checks cover the Platt sigmoids too.
  SVC: { make: (params) => new SVC({ probability: true, ...params }), config: { probability: true } },
  DummyClassifier: { skip: { labels: "the default strategy ('prior') predicts only the most frequent class, as scikit-learn's does" } },
};

for (const definition of registry.list('estimator')) testEstimator(definition, registry, CASES[definition.name]);
