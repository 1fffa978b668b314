import { describe, expect, it } from 'vitest';
import { builtinScorer, DecisionTreeClassifier, DecisionTreeRegressor, Frame, parseSearchSpec, runSearch, Uniform } from '../../index.js';

const X = new Frame(new Map([['x', Float64Array.from({ length: 12 }, (_, i) => i)]]));
const labels = X.column('x') as Float64Array;
const y = Array.from(labels, (v) => (v < 6 ? 'a' : 'b'));
const accuracy = builtinScorer('accuracy')!;
const badSearch = (text: string) => expect.objectContaining({ code: 'PLD_ERR_EVAL_BAD_SEARCH', message: expect.stringContaining(text) });

describe('grid_search specs that cannot give candidates', () => {
  it('names the file and key of a malformed spec', () => {
    expect(() => parseSearchSpec({ param_grid: { max_depth: [1] }, cv: 'three', n_jobs: 'many' }, 'config.json')).toThrow(badSearch('config.json: grid_search.'));
    const spec = parseSearchSpec({ param_grid: { max_depth: [1] } }, 'config.json');
    expect(parseSearchSpec(spec, 'other.json')).toBe(spec);
  });

  it('refuses an empty grid, a key without values and a distribution that is neither a list nor a distribution', async () => {
    const run = (grid: unknown) => runSearch(new DecisionTreeClassifier({}), X, y, parseSearchSpec(grid, 'config.json'), { scoring: { scorers: [accuracy], multimetric: false } });
    await expect(run({ param_grid: [], cv: 2 })).rejects.toThrow(badSearch('grid_search.param_grid'));
    await expect(run({ param_distributions: { max_depth: [], min_samples_leaf: new Uniform({ loc: 1, scale: 1 }) }, n_iter: 2, cv: 2 })).rejects.toThrow(
      badSearch('grid_search.param_distributions.max_depth: expected a non-empty list or a distribution'),
    );
  });
});

describe('built-in scorers by name', () => {
  it('score a regressor with the negated errors scikit-learn maximises', async () => {
    const tree = await new DecisionTreeRegressor({ max_depth: 1 }).fit(X, labels);
    const scores = await Promise.all(
      ['neg_mean_squared_error', 'neg_root_mean_squared_error', 'neg_mean_absolute_error'].map((name) => builtinScorer(name)!.score(tree, X, labels)),
    );
    // A depth-1 tree predicts 2.5 for 0..5 and 8.5 for 6..11: squared errors average 35/12, absolute ones 1.5.
    expect(scores[0]).toBeCloseTo(-35 / 12);
    expect(scores[1]).toBeCloseTo(-Math.sqrt(35 / 12));
    expect(scores[2]).toBeCloseTo(-1.5);
  });

  it('need predictProba for the probability metrics', async () => {
    const tree = await new DecisionTreeRegressor({ max_depth: 1 }).fit(X, labels);
    await expect(builtinScorer('roc_auc_ovr_weighted')!.score(tree, X, y)).rejects.toThrow(
      expect.objectContaining({ code: 'PLD_ERR_EVAL_METRIC_INPUT', message: 'roc_auc_ovr_weighted: needs a classifier with predictProba; DecisionTreeRegressor has none' }),
    );
    const y3 = Array.from(labels, (v) => ['a', 'b', 'c'][v % 3]);
    const clf = await new DecisionTreeClassifier({ random_state: 0 }).fit(X, y3);
    expect(await builtinScorer('roc_auc_ovr_weighted')!.score(clf, X, y3)).toBe(1);
  });
});
