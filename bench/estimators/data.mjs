import { createHash } from 'node:crypto';

// The generated data sets the estimator benchmarks share, so that every bench of a family measures the same
// rows (and scikit-learn gets the very same arrays). `mulberry32` comes from the build being measured.

/**
 * The trees' data: rounded uniform features; three classes from four of them, 5% label noise
 * (trees.mjs, forest-fit.mjs, extra-trees-fit-cpu.mjs); and `yr`, a make_regression-style target (trees.mjs's
 * regressors): a linear mix of up to ten informative features with weights in [0, 100) plus uniform noise.
 * `yr` draws after `y`, so the columns and classes are those of the classifier benches.
 */
export function treeData(nRows, nFeatures, mulberry32) {
  const random = mulberry32(42);
  const columns = Array.from({ length: nFeatures }, () => Float64Array.from({ length: nRows }, () => Math.round(random() * 1000) / 1000));
  const y = Float64Array.from({ length: nRows }, (_, i) => {
    if (random() < 0.05) return Math.floor(random() * 3);
    const s = columns[0][i] + columns[1][i] * columns[2][i] - 0.5 * columns[3][i];
    return s < 0.4 ? 0 : s < 0.8 ? 1 : 2;
  });
  const weights = Array.from({ length: Math.min(10, nFeatures) }, () => 100 * random());
  const yr = Float64Array.from({ length: nRows }, (_, i) => {
    let s = 0;
    for (let f = 0; f < weights.length; f++) s += weights[f] * columns[f][i];
    return s + 10 * (random() - 0.5);
  });
  return { columns, y, yr };
}

/**
 * The linear models' data: standard-normal-ish features; a linear score drives 3 classes, 2 classes and a
 * noisy regression target (linear.mjs, linear-predict.mjs).
 */
export function linearData(n, d, seed, mulberry32) {
  const rand = mulberry32(seed);
  const cols = Array.from({ length: d }, () => new Float64Array(n));
  const weights = Float64Array.from({ length: d }, (_, j) => ((j % 5) - 2) / 2);
  const y3 = new Float64Array(n);
  const y2 = new Float64Array(n);
  const yr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let f = 0; f < d; f++) {
      const v = rand() + rand() + rand() - 1.5;
      cols[f][i] = v;
      s += weights[f] * v;
    }
    const noise = rand() - 0.5;
    y3[i] = s + noise < -0.5 ? 0 : s + noise < 0.5 ? 1 : 2;
    y2[i] = s + noise > 0 ? 1 : 0;
    yr[i] = 3 + s + noise;
  }
  return { columns: cols, y3, y2, yr };
}

/** A short hash of every node array of `trees`, so two builds can be checked for bit-identical forests. */
export function treesHash(trees) {
  const h = createHash('sha256');
  for (const t of trees) {
    for (const k of ['feature', 'threshold', 'left', 'right', 'impurity', 'nNodeSamples', 'weightedNNodeSamples', 'value', 'featureImportances']) {
      h.update(new Uint8Array(t[k].buffer, t[k].byteOffset, t[k].byteLength));
    }
  }
  return h.digest('hex').slice(0, 16);
}
