import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, pld, type RunningServer, startServer } from './helpers.js';

// The iris example with its model swapped for a StandardScaler + DecisionTreeClassifier Pipeline.
const PIPELINE = {
  __factory__: 'sklearn.pipeline.Pipeline',
  steps: [
    ['scale', { __factory__: 'sklearn.preprocessing.StandardScaler' }],
    ['clf', { __factory__: 'sklearn.tree.DecisionTreeClassifier', min_samples_leaf: 1, random_state: 0 }],
  ],
};

describe('pld fit / test / serve with a Pipeline model', () => {
  let server: RunningServer;
  let dir: string;

  beforeAll(async () => {
    dir = copyExample();
    const file = path.join(dir, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...config, model: PIPELINE }, null, 2));
    const fitted = pld(dir, ['fit', '--evaluate']);
    expect(fitted.status, fitted.stderr).toBe(0);
    expect(fitted.stderr).toContain('Wrote model with version 1.');
    server = await startServer(dir);
  });
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  it('stores the pipeline with readable params and scores it from the store', () => {
    const metadata = JSON.parse(pld(dir, ['list', '--json']).stdout);
    const text = JSON.stringify(metadata);
    expect(text).toContain('clf__min_samples_leaf');
    expect(text).toContain('"__factory__":"StandardScaler"');
    const tested = pld(dir, ['test']);
    expect(tested.status, tested.stderr).toBe(0);
    expect(`${tested.stdout}${tested.stderr}`).toMatch(/accuracy: 0\.\d+/);
  });

  it('serves predictions through the stored pipeline', async () => {
    const response = await fetch(`${server.url}/predict?sepal%20length=5.2&sepal%20width=3.5&petal%20length=1.5&petal%20width=0.2`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { result: unknown }).result).toBe('Iris-setosa');
    const body = [
      { 'sepal length': 6.9, 'sepal width': 3.1, 'petal length': 5.4, 'petal width': 2.1 },
      { 'sepal length': 5.0, 'sepal width': 3.4, 'petal length': 1.5, 'petal width': 0.2 },
    ];
    const many = await fetch(`${server.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(((await many.json()) as { result: unknown }).result).toEqual(['Iris-virginica', 'Iris-setosa']);
  });
});
