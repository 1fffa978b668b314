import { describe, expect, it } from 'vitest';
import { loadIris } from '../../../test/fixtures/iris.js';
import { Frame } from '../../data/frame.js';
import { KNeighborsClassifier, KNeighborsRegressor } from '../../index.js';
import { expectClose, expectPldError, fromConfig } from '../linear/test-helpers.js';
import { mulberry32 } from '../tree/prng.js';

// References: scikit-learn 1.2.1, computed once with /usr/bin/python3 on the deterministic data of
// `_gen` below (300 training rows, 20 queries, 3 features; the same integer formula in numpy):
//   KNeighborsClassifier(**kw).fit(X, y).predict(Q), predict_proba(Q[:3]), kneighbors(Q[:2]);
//   KNeighborsRegressor(**kw).fit(X, yr).predict(Q[:5]).
const SK = [
  {
    params: {},
    predict: [0, 0, 1, 1, 1, 1, 2, 0, 0, 1, 1, 2, 1, 2, 0, 1, 1, 1, 2, 1],
    proba: [0.8, 0.0, 0.2, 0.8, 0.0, 0.2, 0.2, 0.8, 0.0],
    indices: [25, 236, 215, 277, 3, 26, 111, 237, 216, 48],
    distances: [
      0.028579321883606873, 0.04547379935504422, 0.05429187857612771, 0.06244026222916457, 0.0883746994586385, 0.03850184470430453, 0.07025978264507532, 0.0969997300884363,
      0.10015580184293806, 0.11188674808493167,
    ],
    regression: [2.572917999300648, 1.4640066569010828, 2.660129784010755, 2.660129784010755, 2.815066876707404],
  },
  {
    params: { weights: 'distance', p: 1 },
    predict: [0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 2, 1, 2, 0, 0, 1, 1, 2, 1],
    proba: [0.805284852834, 0.0, 0.194715147166, 0.772723797191, 0.0, 0.227276202809, 0.098791282628, 0.901208717372, 0.0],
    indices: [25, 236, 215, 277, 3, 26, 111, 237, 216, 48],
    distances: [
      0.049277852166443425, 0.06492880521358435, 0.07470677587967234, 0.08443374669876003, 0.12786061641815072, 0.06652180043459865, 0.10080969757090733, 0.1578325265024205,
      0.16163351509945478, 0.16205051384845853,
    ],
    regression: [2.5502343276711232, 1.4212276092103207, 2.6875829662525867, 2.6624292503228597, 2.8861136741890525],
  },
  {
    params: { n_neighbors: 7, p: 3, algorithm: 'brute' },
    predict: [0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 2, 1, 2, 0, 1, 1, 1, 2, 1],
    proba: [0.714285714286, 0.0, 0.285714285714, 0.714285714286, 0.0, 0.285714285714, 0.142857142857, 0.857142857143, 0.0],
    indices: [25, 236, 215, 277, 3, 150, 130, 26, 111, 237, 216, 48, 217, 49],
    distances: [
      0.023903285641051784, 0.04254104923470313, 0.0506833935921944, 0.05815707652447815, 0.08263779989859953, 0.08471027064971334, 0.12540166817536627, 0.03213874252585092,
      0.0657234939235334, 0.08486985628707294, 0.0880652563311774, 0.1026929837635181, 0.11408374644545774, 0.11760386212170858,
    ],
    regression: [2.535330733375925, 1.4267659469264777, 2.733943884192518, 2.691099405641632, 2.8085257791191913],
  },
] as const;

/** ((t²·7919 + 31t + 17) mod 1000003) / 1000003 for t = row·d + column + offset: exact in doubles. */
function _gen(n: number, d: number, offset: number): Frame {
  const cols = Array.from({ length: d }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const t = i * d + j + offset;
      cols[j][i] = ((t * t * 7919 + t * 31 + 17) % 1000003) / 1000003;
    }
  }
  return new Frame(Object.fromEntries(cols.map((c, j) => [`x${j}`, c])));
}

function _data() {
  const X = _gen(300, 3, 0);
  const [a, b, c] = [X.numeric('x0'), X.numeric('x1'), X.numeric('x2')];
  const y = Float64Array.from(a, (v, i) => Math.floor(3 * ((v + 2 * b[i]) % 1)));
  const yr = Float64Array.from(a, (v, i) => v + b[i] + c[i] + v * v);
  return { X, y, yr, Q: _gen(20, 3, 5000) };
}

describe('KNeighborsClassifier and KNeighborsRegressor', () => {
  it('agree with scikit-learn (uniform, distance weights, p = 1, 2, 3, tree and brute force)', async () => {
    const { X, y, yr, Q } = _data();
    for (const ref of SK) {
      const clf = await new KNeighborsClassifier(ref.params).fit(X, y);
      expect(Array.from(clf.predict(Q) as Float64Array)).toEqual(ref.predict);
      expectClose(clf.predictProba(Q.slice(0, 3)).data, ref.proba, 1e-11);
      const found = clf.kneighbors(Q.slice(0, 2));
      expect(Array.from(found.indices)).toEqual(ref.indices);
      expectClose(found.distances, ref.distances, 1e-14);
      const reg = await new KNeighborsRegressor(ref.params).fit(X, yr);
      expectClose(reg.predict(Q.slice(0, 5)), ref.regression, 1e-13);
    }
  });

  it('finds the same neighbours with the KD-tree and by brute force', async () => {
    const rand = mulberry32(3);
    const cols = Array.from({ length: 4 }, () => Float64Array.from({ length: 2000 }, () => Math.round(rand() * 50) / 10));
    const X = new Frame(Object.fromEntries(cols.map((c, j) => [`f${j}`, c])));
    const queries = X.slice(0, 300);
    for (const p of [1, 2]) {
      const tree = await new KNeighborsRegressor({ algorithm: 'kd_tree', leaf_size: 5, n_neighbors: 8, p }).fit(X, cols[0]);
      const brute = await new KNeighborsRegressor({ algorithm: 'brute', n_neighbors: 8, p }).fit(X, cols[0]);
      expect(tree.fitMethod).toBe('kd_tree');
      // Many exact ties on this coarse grid: both break them by the training row index.
      expect(tree.kneighbors(queries)).toEqual(brute.kneighbors(queries));
    }
  });

  it("resolves algorithm 'auto' like scikit-learn", async () => {
    const { X, y } = loadIris();
    expect((await new KNeighborsClassifier().fit(X, y)).fitMethod).toBe('kd_tree');
    expect((await new KNeighborsClassifier({ n_neighbors: 75 }).fit(X, y)).fitMethod).toBe('brute');
    const wide = new Frame(Object.fromEntries(Array.from({ length: 16 }, (_, j) => [`f${j}`, Float64Array.from({ length: 40 }, (_, i) => (i * (j + 1)) % 7)])));
    expect(
      (
        await new KNeighborsRegressor().fit(
          wide,
          Float64Array.from({ length: 40 }, (_, i) => i),
        )
      ).fitMethod,
    ).toBe('brute');
  });

  it('with distance weights, an exact match decides alone', async () => {
    const X = new Frame({ x: Float64Array.of(0, 1, 2, 3) });
    const reg = await new KNeighborsRegressor({ n_neighbors: 3, weights: 'distance' }).fit(X, Float64Array.of(10, 20, 30, 40));
    expectClose(reg.predict(new Frame({ x: Float64Array.of(1, 1.5) })), [20, (20 / 0.5 + 30 / 0.5 + 10 / 1.5) / (2 / 0.5 + 1 / 1.5)], 1e-12);
    const clf = await new KNeighborsClassifier({ n_neighbors: 3, weights: 'distance' }).fit(X, ['a', 'b', 'b', 'a']);
    expect(clf.predictProba(new Frame({ x: Float64Array.of(0) })).row(0)).toEqual(Float64Array.of(1, 0));
  });

  it('scores iris, is built by the registry and rejects bad parameters', async () => {
    const { X, y } = loadIris();
    const knn = await fromConfig({ __factory__: 'sklearn.neighbors.KNeighborsClassifier', n_neighbors: 5 });
    await knn.fit(X, y);
    expect(knn.score?.(X, y)).toBeCloseTo(0.9667, 4); // scikit-learn 1.2.1: 0.9666666666666667
    await expectPldError(() => new KNeighborsClassifier({ n_neighbors: 0 }).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'n_neighbors');
    await expectPldError(() => new KNeighborsClassifier({ n_neighbors: 151 }).fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'n_neighbors');
    await expectPldError(() => new KNeighborsRegressor({ p: 0.5 }).fit(X, X.numeric('petal width')), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'p');
    await expectPldError(() => new KNeighborsRegressor().predict(X), 'PLD_ERR_ESTIMATOR_NOT_FITTED', 'fit');
  });
});
