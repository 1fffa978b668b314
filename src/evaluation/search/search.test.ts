import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../config/builtins.js';
import { Frame } from '../../data/frame.js';
import { DecisionTreeClassifier } from '../../estimators/tree/decision-tree-classifier.js';
import { builtinScorer } from '../scorers.js';
import { resolveScoring } from '../scoring.js';
import { parameterGrid, parameterSampler } from './candidates.js';
import { rankDescending } from './cv-results.js';
import { LogUniform, RandInt } from './distributions.js';
import { parseSearchSpec } from './options.js';
import { runSearch } from './search.js';
import { RandomForestClassifier } from '../../estimators/ensemble/forest-classifier.js';
import type { Estimator } from '../../estimators/types.js';
import { foldsFor } from '../splitters/check-cv.js';
import type { SearchJob } from './executor.js';
import { runTask, type SearchTask, type TaskResult } from './run-task.js';
import { createEstimatorCodec } from '../../estimators/codec.js';

function _data(n = 60): { X: Frame; y: string[] } {
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const y: string[] = [];
  for (let i = 0; i < n; i++) {
    x1[i] = (i * 7) % 13;
    x2[i] = (i * 5) % 11;
    y.push(x1[i] + x2[i] > 11 ? 'hi' : 'lo');
  }
  return { X: new Frame({ x1, x2 }), y };
}

const accuracy = { scorers: [builtinScorer('accuracy')!], multimetric: false };

describe('candidates', () => {
  it('parameterGrid follows scikit-learn order (sorted keys, last fastest, grids in turn)', () => {
    expect(parameterGrid({ b: [1, 2], a: ['x', 'y'] })).toEqual([
      { a: 'x', b: 1 },
      { a: 'x', b: 2 },
      { a: 'y', b: 1 },
      { a: 'y', b: 2 },
    ]);
    expect(parameterGrid([{ a: [1] }, { b: [2, 3] }])).toEqual([{ a: 1 }, { b: 2 }, { b: 3 }]);
    expect(() => parameterGrid({ a: [] })).toThrow(/non-empty list/);
  });

  it('parameterSampler is seeded, stays in range and samples lists without replacement', () => {
    const dists = { C: new LogUniform({ a: 0.01, b: 10 }), depth: new RandInt({ low: 1, high: 4 }) };
    const a = parameterSampler(dists, 20, 7);
    expect(a).toEqual(parameterSampler(dists, 20, 7));
    for (const params of a) {
      expect(params.C as number).toBeGreaterThanOrEqual(0.01);
      expect(params.C as number).toBeLessThanOrEqual(10);
      expect([1, 2, 3]).toContain(params.depth);
    }
    const fromLists = parameterSampler({ a: [1, 2, 3], b: ['x', 'y'] }, 10, 0);
    expect(fromLists).toHaveLength(6);
    expect(new Set(fromLists.map((p) => JSON.stringify(p))).size).toBe(6);
  });

  it('ranks like rankdata(-x, "min") with NaN last', () => {
    expect(rankDescending([0.9, Number.NaN, 0.95, 0.9])).toEqual([2, 4, 1, 2]);
  });
});

describe('runSearch (in-process)', () => {
  it('builds cv_results with scikit-learn keys and picks the best candidate', async () => {
    const { X, y } = _data();
    const spec = parseSearchSpec({ param_grid: { max_depth: [1, 2, 4] }, cv: 3, return_train_score: true }, 'inline');
    const result = await runSearch(new DecisionTreeClassifier({}), X, y, spec, { scoring: accuracy, refit: true });
    expect(Object.keys(result.cvResults)).toEqual(
      expect.arrayContaining(['mean_fit_time', 'param_max_depth', 'params', 'split2_test_score', 'mean_test_score', 'std_test_score', 'rank_test_score', 'mean_train_score']),
    );
    const means = result.cvResults.mean_test_score as number[];
    expect(result.bestScore).toBe(Math.max(...means));
    expect(result.bestEstimator?.getParams().max_depth).toBe(result.bestParams.max_depth);
    expect(result.nJobs).toBe(1);
    // Fixed seeds: a second run gives identical scores.
    const again = await runSearch(new DecisionTreeClassifier({}), X, y, spec, { scoring: accuracy });
    expect(again.cvResults.split0_test_score).toEqual(result.cvResults.split0_test_score);
  });

  it("reusing each fold's rows and tree presorts across candidates gives the scores of independent fits", async () => {
    // Many ties (values modulo small numbers) so a presort that was not a faithful copy would show.
    const n = 150;
    const cols = { a: new Float64Array(n), b: new Float64Array(n), c: new Float64Array(n) };
    const y: string[] = [];
    for (let i = 0; i < n; i++) {
      cols.a[i] = (i * 7) % 5;
      cols.b[i] = (i * 3) % 11;
      cols.c[i] = (i * 13) % 17;
      y.push((cols.a[i] + cols.b[i]) % 3 === 0 ? 'x' : cols.c[i] > 8 ? 'y' : 'z');
    }
    const X = new Frame(cols);
    const cases: [Estimator, Record<string, unknown[]>][] = [
      [new DecisionTreeClassifier({ random_state: 0 }), { max_depth: [1, 3, null], min_samples_leaf: [1, 4] }],
      [new RandomForestClassifier({ random_state: 0, n_estimators: 5 }), { max_depth: [2, null] }],
    ];
    // Built-in models (known to the registry) get the shared fold rows and presorts.
    const registry = createRegistry();
    const workerFactories = new Set(registry.list('estimator').map((definition) => definition.name));
    for (const [model, grid] of cases) {
      const spec = parseSearchSpec({ param_grid: grid, cv: 3, return_train_score: true }, 'inline');
      const result = await runSearch(model, X, y, spec, { scoring: accuracy, registry, workerFactories });
      const folds = foldsFor(3, 'classifier', X, y);
      for (const [c, params] of result.candidates.entries()) {
        for (const [k, { train, test }] of folds.entries()) {
          const alone = await model
            .clone()
            .setParams(params)
            .fit(
              X.take(train),
              Array.from(train, (i) => y[i]),
            );
          const testScore = await builtinScorer('accuracy')!.score(
            alone,
            X.take(test),
            Array.from(test, (i) => y[i]),
          );
          const trainScore = await builtinScorer('accuracy')!.score(
            alone,
            X.take(train),
            Array.from(train, (i) => y[i]),
          );
          expect((result.cvResults[`split${k}_test_score`] as number[])[c], JSON.stringify({ params, k })).toBe(testScore);
          expect((result.cvResults[`split${k}_train_score`] as number[])[c], JSON.stringify({ params, k })).toBe(trainScore);
        }
      }
    }
  });

  it('multi-metric scoring names the keys and needs refit to name a scorer when refitting', async () => {
    const { X, y } = _data();
    const scoring = { scorers: [builtinScorer('accuracy')!, builtinScorer('f1_macro')!], multimetric: true };
    const spec = parseSearchSpec({ param_grid: { max_depth: [1, 3] }, cv: 2, refit: 'f1_macro' }, 'inline');
    const result = await runSearch(new DecisionTreeClassifier({}), X, y, spec, { scoring, refit: true });
    expect(result.rankMetric).toBe('f1_macro');
    expect(result.cvResults).toHaveProperty('rank_test_accuracy');
    const noRefit = parseSearchSpec({ param_grid: { max_depth: [1, 3] }, cv: 2 }, 'inline');
    await expect(runSearch(new DecisionTreeClassifier({}), X, y, noRefit, { scoring, refit: true })).rejects.toMatchObject({ code: 'PLD_ERR_EVAL_BAD_SEARCH' });
  });

  it('records a failing fit as error_score with a warning, or raises', async () => {
    const { X, y } = _data();
    const warnings: string[] = [];
    const log = { debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) };
    const spec = parseSearchSpec({ param_grid: { min_samples_leaf: [1, -1] }, cv: 3 }, 'inline');
    const result = await runSearch(new DecisionTreeClassifier({}), X, y, spec, { scoring: accuracy, log });
    expect((result.cvResults.mean_test_score as number[])[1]).toBeNaN();
    expect(result.cvResults.rank_test_score).toEqual([1, 2]);
    expect(result.nFailed).toBe(3);
    expect(warnings.join('\n')).toMatch(/3 fits failed out of a total of 6/);
    const zero = await runSearch(new DecisionTreeClassifier({}), X, y, { ...spec, error_score: 0 }, { scoring: accuracy });
    expect((zero.cvResults.mean_test_score as number[])[1]).toBe(0);
    await expect(runSearch(new DecisionTreeClassifier({}), X, y, { ...spec, error_score: 'raise' }, { scoring: accuracy })).rejects.toMatchObject({
      code: 'PLD_ERR_EVAL_FIT_FAILED',
    });
  });

  it('rejects unknown parameters and stops when aborted', async () => {
    const { X, y } = _data();
    const bad = parseSearchSpec({ param_grid: { max_dept: [1] } }, 'inline');
    await expect(runSearch(new DecisionTreeClassifier({}), X, y, bad, { scoring: accuracy })).rejects.toThrow(/'max_dept' is not a parameter/);
    const controller = new AbortController();
    controller.abort();
    const spec = parseSearchSpec({ param_grid: { max_depth: [1, 2] } }, 'inline');
    await expect(runSearch(new DecisionTreeClassifier({}), X, y, spec, { scoring: accuracy, signal: controller.signal })).rejects.toMatchObject({
      code: 'PLD_ERR_EVAL_INTERRUPTED',
    });
  });

  it('randomized search from registry distributions', async () => {
    const { X, y } = _data();
    const registry = createRegistry();
    const dist = await registry.get('scipy.stats.randint')!.create({ low: 1, high: 5 }, { registry, baseDir: '.', file: 'inline', keyPath: 'x' });
    const spec = parseSearchSpec({ param_distributions: { max_depth: dist }, n_iter: 4, random_state: 1, cv: 2 }, 'inline');
    const result = await runSearch(new DecisionTreeClassifier({}), X, y, spec, { scoring: accuracy });
    expect(result.candidates).toHaveLength(4);
    expect(spec.kind).toBe('random');
  });
});

describe('resolveScoring', () => {
  it('accepts a name, a list, a dict and a ./file#fn reference', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pld-scoring-'));
    writeFileSync(path.join(dir, 'scorers.mjs'), 'export const half = () => 0.5;\n');
    const ctx = { registry: createRegistry(), baseDir: dir, file: path.join(dir, 'config.json'), keyPath: 'scoring' };
    expect((await resolveScoring('f1_macro', ctx))!.multimetric).toBe(false);
    expect((await resolveScoring(['accuracy', 'f1_weighted'], ctx))!.scorers.map((s) => s.name)).toEqual(['accuracy', 'f1_weighted']);
    const dict = (await resolveScoring({ acc: 'accuracy', mine: './scorers.mjs#half' }, ctx))!;
    expect(dict.scorers.map((s) => [s.name, s.builtinName])).toEqual([
      ['acc', 'accuracy'],
      ['mine', undefined],
    ]);
    const { X, y } = _data();
    expect(await dict.scorers[1].score(new DecisionTreeClassifier({}), X, y)).toBe(0.5);
    await expect(resolveScoring('f1macro', ctx)).rejects.toThrow(/Did you mean 'f1_macro'/);
    await expect(resolveScoring(42, ctx)).rejects.toMatchObject({ code: 'PLD_ERR_EVAL_BAD_SCORING' });
  });
});

describe('runSearch with an executor', () => {
  const registry = createRegistry();
  const workerFactories = new Set(registry.list('estimator').map((definition) => definition.name));

  it('hands the executor a portable job (registry name, JSON params, built-in scorer names) and ranks what it returns like a local run', async () => {
    const { X, y } = _data();
    const codec = createEstimatorCodec(registry);
    const model = codec.decode({ factory: 'DecisionTreeClassifier', params: { random_state: 0 } });
    const spec = parseSearchSpec({ param_grid: { max_depth: [1, 2, 3] }, cv: 3 }, 'inline');
    const local = await runSearch(model, X, y, spec, { scoring: accuracy });
    const seen: unknown[] = [];
    const inProcess = {
      name: 'in-process test executor',
      async run(job: SearchJob, tasks: readonly SearchTask[], onResult: (result: TaskResult) => void) {
        seen.push(JSON.parse(JSON.stringify({ spec: job.spec, scorers: job.scorers, folds: job.folds.length })));
        // Rebuilds the estimator from the job alone, as a worker elsewhere does.
        const base = codec.decode({ factory: job.spec.factory, params: job.spec.params });
        const results: TaskResult[] = [];
        for (const task of [...tasks].reverse()) {
          const result = await runTask(base, job, task, [builtinScorer(job.scorers[0].builtinName)!], job.returnTrainScore);
          results[task.index] = result;
          onResult(result);
        }
        return { results, workers: 3 };
      },
    };
    const remote = await runSearch(model, X, y, spec, { scoring: accuracy, registry, workerFactories, executor: inProcess });
    expect(seen).toEqual([
      { spec: { factory: 'DecisionTreeClassifier', params: expect.objectContaining({ random_state: 0 }) }, scorers: [{ name: 'accuracy', builtinName: 'accuracy' }], folds: 3 },
    ]);
    expect(remote.cvResults.mean_test_score).toEqual(local.cvResults.mean_test_score);
    expect(remote.cvResults.rank_test_score).toEqual(local.cvResults.rank_test_score);
    expect(remote.nJobs).toBe(3);
  });

  it('refuses with PLD_ERR_EVAL_NOT_DISTRIBUTABLE when the model is not a built-in estimator', async () => {
    const { X, y } = _data();
    const spec = parseSearchSpec({ param_grid: { max_depth: [1, 2] }, cv: 2 }, 'inline');
    const executor = { name: 'redis://example', run: () => Promise.reject(new Error('must not run')) };
    await expect(runSearch(new DecisionTreeClassifier(), X, y, spec, { scoring: accuracy, registry, workerFactories: new Set<string>(), executor })).rejects.toMatchObject({
      code: 'PLD_ERR_EVAL_NOT_DISTRIBUTABLE',
      message: expect.stringContaining('the model is not a built-in estimator'),
    });
  });
});
