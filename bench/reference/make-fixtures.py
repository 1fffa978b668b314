"""Exports small reference data sets and scikit-learn's 5-fold cross-validated scores for
test/contracts/sklearn-agreement.test.ts. The folds are saved with the scores, so the TypeScript side
scores on exactly the same rows. Run from the repository root:

    /usr/bin/python3 bench/reference/make-fixtures.py

Writes test/fixtures/{iris,wine,breast_cancer,diabetes,iris_cat,wine_missing,diabetes_missing}.csv and
test/fixtures/sklearn-scores.json (then `npx biome check --write test/fixtures/sklearn-scores.json`). Tests never run this.
"""
import json
import os
import sys

import csv

import numpy as np
import sklearn
from sklearn import datasets
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import (ExtraTreesClassifier, HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.naive_bayes import GaussianNB, MultinomialNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures')
COMMAND = '/usr/bin/python3 bench/reference/make-fixtures.py'


def _cell(value):
    if isinstance(value, str):
        return value
    return 'nan' if np.isnan(value) else '%.6g' % value


def write(name, names, X, y):
    """Writes name.csv (features, then 'target') and reads it back, so scores use the rounded values the
    TypeScript side reads. Returns (names, X as an object or float array, y)."""
    path = os.path.join(OUT, name + '.csv')
    with open(path, 'w', newline='') as out:
        writer = csv.writer(out, lineterminator='\n')
        writer.writerow(list(names) + ['target'])
        for row, target in zip(X, y):
            writer.writerow([_cell(v) for v in row] + [_cell(float(target))])
    with open(path) as source:
        rows = list(csv.reader(source))[1:]
    text = [j for j in range(len(names)) if any(not _is_number(r[j]) for r in rows)]
    Xr = np.array([[r[j] if j in text else float(r[j]) for j in range(len(names))] for r in rows], dtype=object if text else float)
    yr = np.array([float(r[-1]) for r in rows])
    return list(names), Xr, yr


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def load(loader):
    bunch = loader()
    return list(bunch.feature_names), bunch.data.astype(float), bunch.target


rng = np.random.RandomState(0)
frames = {}
frames['iris'] = write('iris', *load(datasets.load_iris))
frames['wine'] = write('wine', *load(datasets.load_wine))
frames['breast_cancer'] = write('breast_cancer', *load(datasets.load_breast_cancer))
frames['diabetes'] = write('diabetes', *load(datasets.load_diabetes))

names, X, y = load(datasets.load_iris)
size = np.where(X[:, 2] < 2, 'small', np.where(X[:, 2] < 5, 'medium', 'large'))
keep = [0, 1, 3]
Xc = np.empty((len(X), 4), dtype=object)
Xc[:, :3] = X[:, keep]
Xc[:, 3] = size
frames['iris_cat'] = write('iris_cat', [names[j] for j in keep] + ['petal size'], Xc, y)


def with_missing(names, X, y, share):
    X = X.copy()
    X[rng.rand(*X.shape) < share] = np.nan
    return names, X, y


frames['wine_missing'] = write('wine_missing', *with_missing(*load(datasets.load_wine), 0.1))
frames['diabetes_missing'] = write('diabetes_missing', *with_missing(*load(datasets.load_diabetes), 0.1))

CLASSIFICATION = {'iris', 'wine', 'breast_cancer', 'iris_cat', 'wine_missing'}


def folds(name):
    _, X, y = frames[name]
    splitter = StratifiedKFold(5, shuffle=True, random_state=0) if name in CLASSIFICATION else KFold(5, shuffle=True, random_state=0)
    return [test.tolist() for _, test in splitter.split(X, y)]


FOLDS = {name: folds(name) for name in frames}


def f(name, **params):
    return {'__factory__': name, **params}


def pipe(*steps):
    return f('Pipeline', steps=[[n, s] for n, s in steps])


onehot_ct = f('ColumnTransformer', transformers=[['onehot', f('OneHotEncoder'), ['petal size']]], remainder='passthrough')

# (id, data set, our config, scikit-learn estimator)
CASES = [
    ('DecisionTreeClassifier/iris', 'iris', f('DecisionTreeClassifier', random_state=0), DecisionTreeClassifier(random_state=0)),
    ('DecisionTreeClassifier/wine', 'wine', f('DecisionTreeClassifier', random_state=0), DecisionTreeClassifier(random_state=0)),
    ('DecisionTreeClassifier/breast_cancer', 'breast_cancer', f('DecisionTreeClassifier', random_state=0), DecisionTreeClassifier(random_state=0)),
    ('DecisionTreeRegressor/diabetes', 'diabetes', f('DecisionTreeRegressor', random_state=0, max_depth=4), DecisionTreeRegressor(random_state=0, max_depth=4)),
    ('RandomForestClassifier/wine', 'wine', f('RandomForestClassifier', random_state=0), RandomForestClassifier(random_state=0)),
    ('RandomForestClassifier/breast_cancer', 'breast_cancer', f('RandomForestClassifier', random_state=0), RandomForestClassifier(random_state=0)),
    ('RandomForestRegressor/diabetes', 'diabetes', f('RandomForestRegressor', random_state=0), RandomForestRegressor(random_state=0)),
    ('ExtraTreesClassifier/wine', 'wine', f('ExtraTreesClassifier', random_state=0), ExtraTreesClassifier(random_state=0)),
    ('HistGradientBoostingClassifier/breast_cancer', 'breast_cancer', f('HistGradientBoostingClassifier', random_state=0), HistGradientBoostingClassifier(random_state=0)),
    ('HistGradientBoostingRegressor/diabetes', 'diabetes', f('HistGradientBoostingRegressor', random_state=0), HistGradientBoostingRegressor(random_state=0)),
    ('LogisticRegression/iris', 'iris', f('LogisticRegression', max_iter=1000), LogisticRegression(max_iter=1000)),
    ('LinearRegression/diabetes', 'diabetes', f('LinearRegression'), LinearRegression()),
    ('Ridge/diabetes', 'diabetes', f('Ridge', alpha=1.0), Ridge(alpha=1.0)),
    ('Lasso/diabetes', 'diabetes', f('Lasso', alpha=0.1), Lasso(alpha=0.1)),
    ('KNeighborsClassifier/iris', 'iris', f('KNeighborsClassifier', n_neighbors=5), KNeighborsClassifier(n_neighbors=5)),
    ('KNeighborsRegressor/diabetes', 'diabetes', f('KNeighborsRegressor', n_neighbors=5), KNeighborsRegressor(n_neighbors=5)),
    ('GaussianNB/wine', 'wine', f('GaussianNB'), GaussianNB()),
    ('MultinomialNB/iris', 'iris', f('MultinomialNB'), MultinomialNB()),
    ('DummyClassifier/iris', 'iris', f('DummyClassifier', strategy='most_frequent'), DummyClassifier(strategy='most_frequent')),
    ('DummyRegressor/diabetes', 'diabetes', f('DummyRegressor'), DummyRegressor()),
    ('Pipeline(StandardScaler,LogisticRegression)/breast_cancer', 'breast_cancer',
     pipe(['scale', f('StandardScaler')], ['clf', f('LogisticRegression', max_iter=1000)]),
     Pipeline([('scale', StandardScaler()), ('clf', LogisticRegression(max_iter=1000))])),
    ('Pipeline(StandardScaler,DecisionTreeClassifier)/wine', 'wine',
     pipe(['scale', f('StandardScaler')], ['clf', f('DecisionTreeClassifier', random_state=0)]),
     Pipeline([('scale', StandardScaler()), ('clf', DecisionTreeClassifier(random_state=0))])),
    ('Pipeline(MinMaxScaler,KNeighborsClassifier)/wine', 'wine',
     pipe(['scale', f('MinMaxScaler')], ['clf', f('KNeighborsClassifier')]),
     Pipeline([('scale', MinMaxScaler()), ('clf', KNeighborsClassifier())])),
    ('Pipeline(SimpleImputer,DecisionTreeClassifier)/wine_missing', 'wine_missing',
     pipe(['impute', f('SimpleImputer', strategy='median')], ['clf', f('DecisionTreeClassifier', random_state=0)]),
     Pipeline([('impute', SimpleImputer(strategy='median')), ('clf', DecisionTreeClassifier(random_state=0))])),
    ('Pipeline(SimpleImputer,StandardScaler,Ridge)/diabetes_missing', 'diabetes_missing',
     pipe(['impute', f('SimpleImputer')], ['scale', f('StandardScaler')], ['reg', f('Ridge')]),
     Pipeline([('impute', SimpleImputer()), ('scale', StandardScaler()), ('reg', Ridge())])),
    ('Pipeline(ColumnTransformer(OneHotEncoder),DecisionTreeClassifier)/iris_cat', 'iris_cat',
     pipe(['prep', onehot_ct], ['clf', f('DecisionTreeClassifier', random_state=0)]),
     Pipeline([('prep', ColumnTransformer([('onehot', OneHotEncoder(), [3])], remainder='passthrough')),
               ('clf', DecisionTreeClassifier(random_state=0))])),
    ('Pipeline(ColumnTransformer(OneHotEncoder),LogisticRegression)/iris_cat', 'iris_cat',
     pipe(['prep', onehot_ct], ['clf', f('LogisticRegression', max_iter=1000)]),
     Pipeline([('prep', ColumnTransformer([('onehot', OneHotEncoder(), [3])], remainder='passthrough')),
               ('clf', LogisticRegression(max_iter=1000))])),
    ('SVC/iris', 'iris', f('SVC'), SVC()),
    ('SVC(linear)/iris', 'iris', f('SVC', kernel='linear', C=0.5), SVC(kernel='linear', C=0.5)),
    ('Pipeline(StandardScaler,SVC)/iris', 'iris',
     pipe(['scale', f('StandardScaler')], ['clf', f('SVC')]),
     Pipeline([('scale', StandardScaler()), ('clf', SVC())])),
    ('Pipeline(StandardScaler,SVC)/wine', 'wine',
     pipe(['scale', f('StandardScaler')], ['clf', f('SVC')]),
     Pipeline([('scale', StandardScaler()), ('clf', SVC())])),
    ('Pipeline(StandardScaler,SVC)/breast_cancer', 'breast_cancer',
     pipe(['scale', f('StandardScaler')], ['clf', f('SVC')]),
     Pipeline([('scale', StandardScaler()), ('clf', SVC())])),
    ('Pipeline(StandardScaler,SVC(poly))/breast_cancer', 'breast_cancer',
     pipe(['scale', f('StandardScaler')], ['clf', f('SVC', kernel='poly', degree=2, C=10)]),
     Pipeline([('scale', StandardScaler()), ('clf', SVC(kernel='poly', degree=2, C=10))])),
    ('Pipeline(StandardScaler,SVC(probability))/wine', 'wine',
     pipe(['scale', f('StandardScaler')], ['clf', f('SVC', probability=True, random_state=0, class_weight='balanced')]),
     Pipeline([('scale', StandardScaler()), ('clf', SVC(probability=True, random_state=0, class_weight='balanced'))])),
]


def cv_score(estimator, name):
    _, X, y = frames[name]
    scores = []
    for test in FOLDS[name]:
        train = np.setdiff1d(np.arange(len(y)), test)
        fitted = sklearn.base.clone(estimator).fit(X[train], y[train])
        scores.append(fitted.score(X[test], y[test]))
    return float(np.mean(scores)), [float(s) for s in scores]


results = []
for case_id, name, config, estimator in CASES:
    mean, per_fold = cv_score(estimator, name)
    results.append({'id': case_id, 'dataset': name, 'metric': 'accuracy' if name in CLASSIFICATION else 'r2', 'model': config,
                    'sklearn': repr(estimator).replace('\n', ' '), 'score': mean, 'fold_scores': per_fold})
    print(f'{case_id:72s} {mean:.4f}', file=sys.stderr)

with open(os.path.join(OUT, 'sklearn-scores.json'), 'w') as out:
    json.dump({'command': COMMAND, 'sklearn_version': sklearn.__version__, 'numpy_version': np.__version__,
               'folds': FOLDS, 'cases': results}, out, indent=1)
