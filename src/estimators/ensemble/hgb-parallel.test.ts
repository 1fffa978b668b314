import { describe, expect, it } from 'vitest';
import { Frame } from '../../data/frame.js';
import { mulberry32 } from '../tree/prng.js';
import { HistGradientBoostingClassifier as SourceClassifier, HistGradientBoostingRegressor as SourceRegressor } from './hist-gradient-boosting.js';

// Worker threads run the compiled worker script, so this test drives the built package (dist/, which
// `npm test` builds before vitest runs); the TypeScript sources under vitest fit in one thread.
const dist = '../../../dist/';

// 20,000 rows (enough for the fit and its big nodes to go parallel) × 9 features = 3 packed words, so
// two threads split the words unevenly (2 + 1) and three take one each.
function generate(n: number, nFeatures: number): { columns: Float64Array[]; labels: string[]; target: Float64Array } {
  const random = mulberry32(5);
  const columns = Array.from({ length: nFeatures }, () => Float64Array.from({ length: n }, () => Math.round(random() * 1000) / 1000));
  const labels = Array.from({ length: n }, (_, i) => (random() < 0.05 ? 'noise' : columns[0][i] + columns[1][i] * columns[2][i] > 0.8 ? 'hi' : columns[3][i] > 0.5 ? 'mid' : 'lo'));
  const target = Float64Array.from({ length: n }, (_, i) => Math.sin(6 * columns[0][i]) + columns[4][i] * columns[5][i] + 0.1 * random());
  return { columns, labels, target };
}

describe('histogram gradient boosting on worker threads (built code)', () => {
  it('fits the same model whatever n_jobs is, in workers and in this thread', async () => {
    const { HistGradientBoostingClassifier, HistGradientBoostingRegressor, Frame: DistFrame } = await import(`${dist}index.js`);
    const { columns, labels, target } = generate(20_000, 9);
    const entries = Object.fromEntries(columns.map((c, f) => [`x${f}`, c]));
    const X = new Frame(entries);
    const distX = new DistFrame(entries);
    const params = { max_iter: 5, early_stopping: false, random_state: 3 };

    const sourceClassifier = await new SourceClassifier(params).fit(X, labels);
    const reference = sourceClassifier.predictProba(X).data;
    for (const n_jobs of [1, 2, 3, -1]) {
      const model = await new HistGradientBoostingClassifier({ ...params, n_jobs }).fit(distX, labels);
      expect(model.predictProba(distX).data).toEqual(reference);
      expect(model.trainScore).toEqual(sourceClassifier.trainScore);
    }

    // Squared error: constant hessians (the count stands in), and a validation split for early stopping.
    const regParams = { max_iter: 6, early_stopping: true, n_iter_no_change: 2, random_state: 3 };
    const sourceRegressor = await new SourceRegressor(regParams).fit(X, target);
    for (const n_jobs of [2, 3]) {
      const model = await new HistGradientBoostingRegressor({ ...regParams, n_jobs }).fit(distX, target);
      expect(model.predict(distX)).toEqual(sourceRegressor.predict(X));
      expect(model.validationScore).toEqual(sourceRegressor.validationScore);
    }
  });
});
