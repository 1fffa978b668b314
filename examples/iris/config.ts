import { defineConfig } from 'palladium-ts';

const names = ['sepal length', 'sepal width', 'petal length', 'petal width', 'species'];
const table = { __factory__: 'palladium.dataset.Table', path: 'iris.data', names, target_column: 'species', sep: ',' };

export default defineConfig({
  dataset_loader_train: { ...table, nrows: 100 },
  dataset_loader_test: { ...table, skiprows: 100 },
  model: { __factory__: 'sklearn.tree.DecisionTreeClassifier', min_samples_leaf: 1 },
  grid_search: { param_grid: { min_samples_leaf: [1, 2, 3] }, verbose: 4, n_jobs: -1 },
  model_persister: { __factory__: 'palladium.persistence.File', path: 'iris-model-{version}' },
  predict_service: {
    __factory__: 'palladium.server.PredictService',
    mapping: names.slice(0, 4).map((name) => [name, 'float']),
  },
  service_metadata: { service_name: 'iris', service_version: '0.1' },
});
