# Palladium's own config format: a Python expression with `environ` and `here`.
{
    'dataset_loader_train': {
        '__factory__': 'palladium.dataset.Table',
        'path': '{}/iris.data'.format(here),
        'names': ['sepal length', 'sepal width', 'petal length', 'petal width', 'species'],
        'target_column': 'species',
        'sep': ',',
        'nrows': 100,
    },

    'dataset_loader_test': {
        '__copy__': 'dataset_loader_train',
        'nrows': None,
        'skiprows': 100,
    },

    'model': {
        '__factory__': 'sklearn.tree.DecisionTreeClassifier',
        'min_samples_leaf': 1,
    },

    'grid_search': {
        'param_grid': {'min_samples_leaf': [1, 2, 3]},
        'verbose': 4,
        'n_jobs': -1,
    },

    'model_persister': {
        '__factory__': 'palladium.persistence.File',
        'path': environ.get('IRIS_MODEL_PATH', 'iris-model-{version}'),
    },

    'predict_service': {
        '__factory__': 'palladium.server.PredictService',
        'mapping': [
            ('sepal length', 'float'),
            ('sepal width', 'float'),
            ('petal length', 'float'),
            ('petal width', 'float'),
        ],
    },

    'service_metadata': {
        'service_name': 'iris',
        'service_version': '0.1',
    },
}
