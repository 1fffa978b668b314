import { describe, expect, it } from 'vitest';
import { Frame } from '../../data/frame.js';
import { mulberry32 } from '../tree/prng.js';
import { ExtraTreesClassifier as SourceExtraTrees, RandomForestClassifier as SourceForest } from './forest-classifier.js';

// Worker threads run the compiled worker script, so this test drives the built package (dist/, which
// `npm test` builds before vitest runs); the TypeScript sources under vitest fit serially.
const dist = '../../../dist/';

function generate(n: number, nFeatures: number): { X: Frame; y: string[] } {
  const random = mulberry32(11);
  const columns = Array.from({ length: nFeatures }, () => Float64Array.from({ length: n }, () => Math.round(random() * 1000) / 1000));
  const y = Array.from({ length: n }, (_, i) => (columns[0][i] + columns[1][i] * columns[2][i] > 0.8 ? 'hi' : columns[3][i] > 0.5 ? 'mid' : 'lo'));
  return { X: new Frame(Object.fromEntries(columns.map((c, f) => [`x${f}`, c]))), y };
}

describe('forests on worker threads (built code)', () => {
  it('fit the same trees whatever n_jobs is, in workers and in this thread', async () => {
    const pool = await import(`${dist}estimators/ensemble/forest-pool.js`);
    const { RandomForestClassifier, ExtraTreesRegressor, Frame: DistFrame } = await import(`${dist}index.js`);
    expect(pool.canUseWorkers()).toBe(true);
    const { X, y } = generate(1500, 6);
    const distX = new DistFrame(Object.fromEntries(X.entries()));
    const fits = await Promise.all([1, 2, -1, 3].map((n_jobs) => new RandomForestClassifier({ n_estimators: 12, random_state: 4, n_jobs, oob_score: true }).fit(distX, y)));
    const serialSource = await new SourceForest({ n_estimators: 12, random_state: 4, oob_score: true }).fit(X, y);
    const reference = serialSource.predictProba(X).data;
    for (const forest of fits) {
      expect(forest.predictProba(distX).data).toEqual(reference);
      expect(forest.oobScore).toBe(serialSource.oobScore);
      forest.estimators.forEach((tree: { threshold: Float64Array }, t: number) => {
        expect(tree.threshold).toEqual(serialSource.estimators[t].threshold);
      });
    }
    const yReal = Float64Array.from(y, (label, i) => (label === 'hi' ? 2 : 0) + X.numeric('x4')[i]);
    const one = await new ExtraTreesRegressor({ n_estimators: 6, random_state: 1, n_jobs: 1 }).fit(distX, yReal);
    const two = await new ExtraTreesRegressor({ n_estimators: 6, random_state: 1, n_jobs: 2 }).fit(distX, yReal);
    expect(two.predict(distX)).toEqual(one.predict(distX));
  });

  it('fit the same extra trees (sort-free splitter, float32 rows shared with the workers) whatever n_jobs is', async () => {
    const { ExtraTreesClassifier, Frame: DistFrame } = await import(`${dist}index.js`);
    const { X, y } = generate(1500, 6);
    const distX = new DistFrame(Object.fromEntries(X.entries()));
    const params = { n_estimators: 6, random_state: 2, bootstrap: true, class_weight: 'balanced', max_features: 3 };
    const serial = await new SourceExtraTrees(params as never).fit(X, y);
    for (const n_jobs of [1, 2]) {
      const forest = await new ExtraTreesClassifier({ ...params, n_jobs }).fit(distX, y);
      forest.estimators.forEach((tree: { threshold: Float64Array; value: Float64Array }, t: number) => {
        expect(tree.threshold).toEqual(serial.estimators[t].threshold);
        expect(tree.value).toEqual(serial.estimators[t].value);
      });
    }
  });
});
