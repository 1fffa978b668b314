import { describe, expect, it } from 'vitest';
import { Frame } from '../../data/frame.js';
import type { PldError } from '../../errors.js';
import { DecisionTreeRegressor } from './decision-tree-regressor.js';

/**
 * A deterministic smooth target on a grid, reproducible in numpy as
 * `i=np.arange(a,b); X=np.c_[((i*37)%101)/8, ((i*53)%97)/8, ((i*17)%89)/8];
 * y=np.sin(X[:,0])*3+(X[:,1]-5)**2/5+0.1*X[:,2]`.
 */
function generate(from: number, to: number): { X: Frame; y: Float64Array } {
  const n = to - from;
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const y = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = from + k;
    x0[k] = ((i * 37) % 101) / 8;
    x1[k] = ((i * 53) % 97) / 8;
    x2[k] = ((i * 17) % 89) / 8;
    y[k] = Math.sin(x0[k]) * 3 + (x1[k] - 5) ** 2 / 5 + 0.1 * x2[k];
  }
  return { X: new Frame({ x0, x1, x2 }), y };
}

// Values on a 1/8 grid are exact in float32, which scikit-learn casts X to, so the trees can agree exactly.
// scikit-learn 1.2.1 on generate(0, 300), scored on generate(300, 400) (/usr/bin/python3, DecisionTreeRegressor(random_state=0)):
// [criterion, max_depth, node_count, depth, held-out R², feature_importances_]
const SKLEARN = [
  ['squared_error', null, 599, 17, 0.8553779078736319, [0.22083848177978252, 0.7568020618835899, 0.022359456336627562]],
  ['squared_error', 4, 31, 4, 0.6983681090017766, [0.11942771073721832, 0.8761898392678562, 0.004382449994925314]],
  ['friedman_mse', null, 599, 17, 0.8541793639484017, [0.22039353884829854, 0.7569706177358545, 0.02263584341584688]],
] as const;

describe('DecisionTreeRegressor', () => {
  it('splits at the midpoint and predicts leaf means', async () => {
    const X = new Frame({ x: Float64Array.of(1, 2, 3, 4, 5, 6) });
    const tree = await new DecisionTreeRegressor({ max_depth: 1 }).fit(X, Float64Array.of(1, 2, 3, 7, 8, 9));
    expect(tree.tree.threshold[0]).toBe(3.5);
    // Root variance of [1,2,3,7,8,9] = 10.333..., each child's variance 2/3.
    expect(tree.tree.impurity[0]).toBeCloseTo(29 / 3, 12);
    expect(tree.tree.impurity[1]).toBeCloseTo(2 / 3, 12);
    expect(Array.from(tree.predict(new Frame({ x: Float64Array.of(0, 3.5, 3.6, 100) })))).toEqual([2, 2, 8, 8]);
    expect(tree.featureImportances).toEqual(Float64Array.of(1));
  });

  it('matches scikit-learn 1.2.1 on a generated set (structure, held-out R², importances)', async () => {
    const train = generate(0, 300);
    const test = generate(300, 400);
    for (const [criterion, maxDepth, nodes, depth, r2, importances] of SKLEARN) {
      const tree = await new DecisionTreeRegressor({ criterion, max_depth: maxDepth, random_state: 0 }).fit(train.X, train.y);
      expect(tree.tree.nodeCount).toBe(nodes);
      expect(tree.depth).toBe(depth);
      expect(tree.score(train.X, train.y)).toBeCloseTo(maxDepth === null ? 1 : 0.9, maxDepth === null ? 12 : 0);
      // Full-depth trees meet equally good splits in tiny nodes, which scikit-learn breaks by a random
      // feature order and we by feature index: same shape, R² within 0.005, importances within 0.02. Depth-limited trees agree exactly.
      const digits = maxDepth === null ? 2 : 9;
      expect(tree.score(test.X, test.y)).toBeCloseTo(r2, digits);
      for (const [f, value] of tree.featureImportances.entries()) expect(Math.abs(value - importances[f])).toBeLessThan(maxDepth === null ? 0.02 : 1e-9);
    }
  });

  it('honours max_leaf_nodes and min_samples_leaf like scikit-learn', async () => {
    const train = generate(0, 300);
    const test = generate(300, 400);
    // scikit-learn 1.2.1: max_leaf_nodes=8 → 15 nodes, R² 0.7734163984476772; min_samples_leaf=10 → 47 nodes, R² 0.8222599455464555.
    const few = await new DecisionTreeRegressor({ max_leaf_nodes: 8 }).fit(train.X, train.y);
    expect([few.tree.nodeCount, few.nLeaves]).toEqual([15, 8]);
    expect(few.score(test.X, test.y)).toBeCloseTo(0.7734163984476772, 6);
    const leafy = await new DecisionTreeRegressor({ min_samples_leaf: 10 }).fit(train.X, train.y);
    expect(leafy.tree.nodeCount).toBe(47);
    expect(leafy.score(test.X, test.y)).toBeCloseTo(0.8222599455464555, 6);
  });

  it('rejects text targets, unknown criteria and NaN features', async () => {
    const X = new Frame({ a: Float64Array.of(1, 2, 3), b: Float64Array.of(1, Number.NaN, 3) });
    const codeOf = async (run: () => unknown) => {
      try {
        await run();
      } catch (error) {
        return [(error as PldError).code, (error as PldError).message];
      }
      return ['none', ''];
    };
    const [code, message] = await codeOf(() => new DecisionTreeRegressor().fit(X, Float64Array.of(1, 2, 3)));
    expect(code).toBe('PLD_ERR_ESTIMATOR_BAD_INPUT');
    expect(message).toContain("'b'");
    expect((await codeOf(() => new DecisionTreeRegressor().fit(X.drop('b'), ['x', 'y', 'z'])))[0]).toBe('PLD_ERR_ESTIMATOR_BAD_INPUT');
    const [paramCode, paramMessage] = await codeOf(() => new DecisionTreeRegressor({ criterion: 'absolute_error' as never }).fit(X.drop('b'), Float64Array.of(1, 2, 3)));
    expect(paramCode).toBe('PLD_ERR_ESTIMATOR_INVALID_PARAM');
    expect(paramMessage).toContain('criterion');
  });
});
