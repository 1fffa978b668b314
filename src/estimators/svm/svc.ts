import type { z } from 'zod';
import { type Frame, type Labels, Matrix } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { classWeights, DenseClassifier, toRowMajor } from '../linear/dense-estimator.js';
import { decodeLabels, encodeLabels } from '../tree/labels.js';
import { mulberry32 } from '../tree/prng.js';
import { type KernelSpec, kernelRow, rowSquares } from './kernel.js';
import { type SVCParams, svcParams } from './params.js';
import { multiclassProbability, sigmoidPredict, sigmoidTrain } from './platt.js';
import { type SolverOptions, solveBinary } from './smo.js';

/**
 * Fitted state of an {@link SVC}, laid out as libsvm's model (and scikit-learn's attributes): support
 * vectors grouped by class, `dualCoef` row-major `(K − 1) × nSV`, one intercept (−rho) and, with
 * `probability`, one Platt sigmoid (probA, probB) per class pair in the order (0,1), (0,2), …, (1,2), ….
 * @example
 * const state: SVCState = svc.getState(codec).state;
 */
export interface SVCState {
  classes: Labels;
  kernel: KernelSpec;
  nFeatures: number;
  /** Row-major `nSV × nFeatures`. */
  supportVectors: Float64Array;
  /** Training-row index of each support vector (scikit-learn's support_). */
  support: Int32Array;
  /** Support vectors per class (scikit-learn's n_support_). */
  nSupport: Int32Array;
  dualCoef: Float64Array;
  intercept: Float64Array;
  probA: Float64Array | null;
  probB: Float64Array | null;
  /** SMO iterations per class pair (scikit-learn's n_iter_). */
  nIter: Int32Array;
  converged: boolean;
}

/** libsvm's bound on pairwise probabilities, so the coupling never sees 0 or 1. */
const _MIN_PROB = 1e-7;
const _PROBABILITY_FOLDS = 5;

/**
 * C-support vector classification (`sklearn.svm.SVC`) on typed arrays: libsvm's SMO (second-order
 * working-set selection, shrinking, kernel-row cache), one-vs-one for more than two classes with
 * voting, and with `probability: true` Platt scaling fitted on 5-fold internal cross-validation
 * (deterministic given `random_state`) coupled across pairs as libsvm does. As in scikit-learn, `predict`
 * votes and may disagree with the argmax of `predictProba` on borderline rows.
 * @example
 * const svc = await new SVC({ C: 10, gamma: 'scale', probability: true, random_state: 0 }).fit(X, y);
 * svc.predictProba(X).row(0); // Float64Array [0.97, 0.02, 0.01]
 */
export class SVC extends DenseClassifier<SVCParams, SVCState> {
  protected override get schema(): z.ZodType<SVCParams> {
    return svcParams as unknown as z.ZodType<SVCParams>;
  }

  /** Support vectors, one row each, grouped by class (scikit-learn's support_vectors_). */
  get supportVectors(): Matrix {
    const s = this.fitted();
    return new Matrix(s.support.length, s.nFeatures, s.supportVectors.slice());
  }

  /** Training-row indices of the support vectors (scikit-learn's support_). */
  get support(): Int32Array {
    return this.fitted().support.slice();
  }

  /** Support vectors per class (scikit-learn's n_support_). */
  get nSupport(): Int32Array {
    return this.fitted().nSupport.slice();
  }

  /** αᵢyᵢ of each support vector in each of its class's K − 1 pairs (scikit-learn's dual_coef_). */
  get dualCoef(): Matrix {
    const s = this.fitted();
    return new Matrix(s.classes.length - 1, s.support.length, s.dualCoef.slice());
  }

  /** One intercept per class pair, −rho (scikit-learn's intercept_ before its binary sign flip). */
  get intercept(): Float64Array {
    return this.fitted().intercept.slice();
  }

  /** The resolved kernel coefficient ('scale'/'auto' turned into a number; scikit-learn's _gamma). */
  get gamma(): number {
    return this.fitted().kernel.gamma;
  }

  /** Platt sigmoid slopes per class pair; null without `probability: true` (scikit-learn's probA_). */
  get probA(): Float64Array | null {
    return this.fitted().probA?.slice() ?? null;
  }

  /** Platt sigmoid offsets per class pair; null without `probability: true` (scikit-learn's probB_). */
  get probB(): Float64Array | null {
    return this.fitted().probB?.slice() ?? null;
  }

  /** SMO iterations per class pair (scikit-learn's n_iter_). */
  get nIter(): Int32Array {
    return this.fitted().nIter.slice();
  }

  /** False when some pair stopped at `max_iter` (scikit-learn warns with ConvergenceWarning). */
  get converged(): boolean {
    return this.fitted().converged;
  }

  protected override fitState(X: Frame, y: Labels | undefined, params: SVCParams): SVCState {
    const columns = this.fitFeatures(X);
    const { classes, codes } = encodeLabels(y);
    const K = classes.length;
    if (K < 2) throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `SVC needs at least 2 classes in y; got only ${JSON.stringify(classes[0])}`);
    const n = X.nRows;
    const d = columns.length;
    const Xrm = toRowMajor(columns, n);
    const kernel: KernelSpec = { kernel: params.kernel, gamma: _resolveGamma(params.gamma, Xrm, d), degree: params.degree, coef0: params.coef0 };
    const weights = classWeights(params.class_weight, classes, codes);
    const Cw = Float64Array.from(weights, (w) => params.C * w);
    // Rows grouped by class, in training order within a class (libsvm's svm_group_classes).
    const count = new Int32Array(K);
    for (let i = 0; i < n; i++) count[codes[i]]++;
    const start = new Int32Array(K);
    for (let k = 1; k < K; k++) start[k] = start[k - 1] + count[k - 1];
    const perm = new Int32Array(n);
    const fill = start.slice();
    for (let i = 0; i < n; i++) perm[fill[codes[i]]++] = i;
    const options = _solverOptions(params);
    const nPairs = (K * (K - 1)) / 2;
    const rand = mulberry32(params.random_state);
    const probA = params.probability ? new Float64Array(nPairs) : null;
    const probB = params.probability ? new Float64Array(nPairs) : null;
    const intercept = new Float64Array(nPairs);
    const nIter = new Int32Array(nPairs);
    const pairCoef: Float64Array[] = [];
    const nonzero = new Uint8Array(n);
    let converged = true;
    let p = 0;
    for (let i = 0; i < K; i++) {
      for (let j = i + 1; j < K; j++, p++) {
        const l = count[i] + count[j];
        const sub = new Float64Array(l * d);
        const ys = new Int8Array(l);
        for (let k = 0; k < l; k++) {
          const row = perm[k < count[i] ? start[i] + k : start[j] + k - count[i]];
          sub.set(Xrm.subarray(row * d, row * d + d), k * d);
          ys[k] = k < count[i] ? 1 : -1;
        }
        const problem = { X: sub, l, d, y: ys, Cp: Cw[i], Cn: Cw[j] };
        if (probA !== null && probB !== null) {
          const sigmoid = _binaryProbability(problem, kernel, options, rand);
          probA[p] = sigmoid.A;
          probB[p] = sigmoid.B;
        }
        const solution = solveBinary(problem, kernel, options);
        intercept[p] = -solution.rho;
        nIter[p] = solution.nIter;
        converged &&= solution.converged;
        pairCoef.push(solution.coef);
        for (let k = 0; k < l; k++) {
          if (solution.coef[k] !== 0) nonzero[perm[k < count[i] ? start[i] + k : start[j] + k - count[i]]] = 1;
        }
      }
    }
    // Support vectors class by class; svAt[row] is a row's place among them.
    const nSupport = new Int32Array(K);
    const support: number[] = [];
    const svAt = new Int32Array(n).fill(-1);
    for (let k = 0; k < K; k++) {
      for (let m = start[k]; m < start[k] + count[k]; m++) {
        const row = perm[m];
        if (nonzero[row] === 0) continue;
        svAt[row] = support.length;
        support.push(row);
        nSupport[k]++;
      }
    }
    const nSV = support.length;
    const supportVectors = new Float64Array(nSV * d);
    for (let s = 0; s < nSV; s++) supportVectors.set(Xrm.subarray(support[s] * d, support[s] * d + d), s * d);
    // libsvm's sv_coef: in pair (i, j), class i's coefficients go in row j − 1, class j's in row i.
    const dualCoef = new Float64Array((K - 1) * nSV);
    p = 0;
    for (let i = 0; i < K; i++) {
      for (let j = i + 1; j < K; j++, p++) {
        const coef = pairCoef[p];
        for (let k = 0; k < count[i] + count[j]; k++) {
          const row = perm[k < count[i] ? start[i] + k : start[j] + k - count[i]];
          if (svAt[row] < 0) continue;
          const r = k < count[i] ? j - 1 : i;
          dualCoef[r * nSV + svAt[row]] = coef[k];
        }
      }
    }
    return { classes, kernel, nFeatures: d, supportVectors, support: Int32Array.from(support), nSupport, dualCoef, intercept, probA, probB, nIter, converged };
  }

  /**
   * One decision value per class pair (0,1), (0,2), …, (1,2), … for every row: row-major `n × K(K−1)/2`,
   * positive meaning the pair's first class (libsvm's decision values, scikit-learn's 'ovo' shape).
   */
  pairwiseDecision(X: Frame): Matrix {
    const s = this.fitted();
    const columns = this.finiteFeatures(X);
    const n = X.nRows;
    const d = s.nFeatures;
    const K = s.classes.length;
    const nPairs = s.intercept.length;
    const nSV = s.support.length;
    const Xq = toRowMajor(columns, n);
    const qSq = rowSquares(Xq, n, d);
    const svSq = rowSquares(s.supportVectors, nSV, d);
    const start = new Int32Array(K);
    for (let k = 1; k < K; k++) start[k] = start[k - 1] + s.nSupport[k - 1];
    const kvalue = new Float64Array(nSV);
    const out = new Matrix(n, nPairs);
    const coef = s.dualCoef;
    for (let r = 0; r < n; r++) {
      kernelRow(s.kernel, Xq, r * d, qSq[r], s.supportVectors, svSq, nSV, d, kvalue);
      let p = 0;
      for (let i = 0; i < K; i++) {
        for (let j = i + 1; j < K; j++, p++) {
          let sum = s.intercept[p];
          const ci = (j - 1) * nSV;
          for (let m = start[i], end = m + s.nSupport[i]; m < end; m++) sum += coef[ci + m] * kvalue[m];
          const cj = i * nSV;
          for (let m = start[j], end = m + s.nSupport[j]; m < end; m++) sum += coef[cj + m] * kvalue[m];
          out.data[r * nPairs + p] = sum;
        }
      }
    }
    return out;
  }

  /** One-vs-one voting: each pair votes for its winner, the most votes wins (the first class on ties). */
  predict(X: Frame): Labels {
    const s = this.fitted();
    const K = s.classes.length;
    const dec = this.pairwiseDecision(X);
    const nPairs = dec.nCols;
    const codes = new Int32Array(dec.nRows);
    const votes = new Int32Array(K);
    for (let r = 0; r < dec.nRows; r++) {
      votes.fill(0);
      let p = 0;
      for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++, p++) votes[dec.data[r * nPairs + p] > 0 ? i : j]++;
      let best = 0;
      for (let k = 1; k < K; k++) if (votes[k] > votes[best]) best = k;
      codes[r] = best;
    }
    return decodeLabels(s.classes, codes);
  }

  /**
   * Class probabilities (rows sum to 1) from the pairwise Platt sigmoids; only for a model fitted with
   * `probability: true`, else PLD_ERR_ESTIMATOR_NO_PROBA (scikit-learn raises AttributeError).
   */
  override predictProba(X: Frame): Matrix {
    const s = this.fitted();
    if (s.probA === null || s.probB === null) {
      throw new PldError('PLD_ERR_ESTIMATOR_NO_PROBA', 'This SVC was fitted with probability: false; set probability: true and refit to get predictProba');
    }
    const K = s.classes.length;
    const dec = this.pairwiseDecision(X);
    const nPairs = dec.nCols;
    const out = new Matrix(dec.nRows, K);
    const r = new Float64Array(K * K);
    const prob = new Float64Array(K);
    const Q = new Float64Array(K * K);
    const Qp = new Float64Array(K);
    for (let row = 0; row < dec.nRows; row++) {
      let p = 0;
      for (let i = 0; i < K; i++) {
        for (let j = i + 1; j < K; j++, p++) {
          const v = Math.min(Math.max(sigmoidPredict(dec.data[row * nPairs + p], s.probA[p], s.probB[p]), _MIN_PROB), 1 - _MIN_PROB);
          r[i * K + j] = v;
          r[j * K + i] = 1 - v;
        }
      }
      if (K === 2) {
        prob[0] = r[1];
        prob[1] = r[K];
      } else multiclassProbability(K, r, prob, Q, Qp);
      out.data.set(prob, row * K);
    }
    return out;
  }
}

function _resolveGamma(gamma: SVCParams['gamma'], X: Float64Array, d: number): number {
  if (typeof gamma === 'number') return gamma;
  if (gamma === 'auto') return 1 / d;
  // 'scale': 1 / (n_features · X.var()), the variance over every entry of X; 1 when X is constant.
  let mean = 0;
  for (let i = 0; i < X.length; i++) mean += X[i];
  mean /= X.length;
  let v = 0;
  for (let i = 0; i < X.length; i++) v += (X[i] - mean) ** 2;
  v /= X.length;
  return v > 0 ? 1 / (d * v) : 1;
}

function _solverOptions(params: SVCParams): SolverOptions {
  return {
    tol: params.tol,
    maxIter: params.max_iter,
    cacheBytes: params.cache_size * 2 ** 20,
    shrinking: params.shrinking,
  };
}

/**
 * libsvm's svm_binary_svc_probability: decision values of each row from a model fitted on the other
 * folds (5, over a shuffled order), then Platt's sigmoid fitted to them.
 */
function _binaryProbability(
  problem: { X: Float64Array; l: number; d: number; y: Int8Array; Cp: number; Cn: number },
  kernel: KernelSpec,
  options: SolverOptions,
  rand: () => number,
): { A: number; B: number } {
  const { X, l, d, y } = problem;
  const perm = Int32Array.from({ length: l }, (_, i) => i);
  for (let i = 0; i < l; i++) {
    const j = i + Math.floor(rand() * (l - i));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  const dec = new Float64Array(l);
  for (let fold = 0; fold < _PROBABILITY_FOLDS; fold++) {
    const begin = Math.floor((fold * l) / _PROBABILITY_FOLDS);
    const end = Math.floor(((fold + 1) * l) / _PROBABILITY_FOLDS);
    const m = l - (end - begin);
    const sub = new Float64Array(m * d);
    const ys = new Int8Array(m);
    let nPos = 0;
    for (let k = 0, at = 0; k < l; k++) {
      if (k >= begin && k < end) continue;
      const row = perm[k];
      sub.set(X.subarray(row * d, row * d + d), at * d);
      ys[at] = y[row];
      if (y[row] > 0) nPos++;
      at++;
    }
    // A fold with a single class left gives the held-out rows that class's sign, as libsvm does.
    if (nPos === 0 || nPos === m) {
      const value = nPos === 0 ? (m === 0 ? 0 : -1) : 1;
      for (let k = begin; k < end; k++) dec[perm[k]] = value;
      continue;
    }
    const solution = solveBinary({ X: sub, l: m, d, y: ys, Cp: problem.Cp, Cn: problem.Cn }, kernel, options);
    const svRows: number[] = [];
    for (let k = 0; k < m; k++) if (solution.coef[k] !== 0) svRows.push(k);
    const sv = new Float64Array(svRows.length * d);
    const svCoef = new Float64Array(svRows.length);
    svRows.forEach((k, s) => {
      sv.set(sub.subarray(k * d, k * d + d), s * d);
      svCoef[s] = solution.coef[k];
    });
    const svSq = rowSquares(sv, svRows.length, d);
    const kvalue = new Float64Array(svRows.length);
    for (let k = begin; k < end; k++) {
      const row = perm[k];
      let xSq = 0;
      for (let f = row * d; f < row * d + d; f++) xSq += X[f] * X[f];
      kernelRow(kernel, X, row * d, xSq, sv, svSq, svRows.length, d, kvalue);
      let sum = -solution.rho;
      for (let s = 0; s < kvalue.length; s++) sum += svCoef[s] * kvalue[s];
      dec[row] = sum;
    }
  }
  return sigmoidTrain(dec, y);
}
