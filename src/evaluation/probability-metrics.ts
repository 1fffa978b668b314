import type { Labels, Matrix } from '../data/frame.js';
import { PldError } from '../errors.js';
import { type ClassLabel, checkSameLength } from './labels.js';

/**
 * Area under the ROC curve of a binary problem (scikit-learn's `roc_auc_score`): the probability that
 * a random positive sample scores above a random negative one, ties counting a half.
 * @example
 * rocAuc([false, true, true], Float64Array.of(0.1, 0.8, 0.4)); // 1
 */
export function rocAuc(positive: ArrayLike<boolean>, scores: ArrayLike<number>): number {
  checkSameLength(positive, scores, 'roc_auc');
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let nPos = 0;
  let rankSum = 0;
  // Average ranks over runs of equal scores (Mann–Whitney U).
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) {
      if (positive[order[i]]) {
        nPos++;
        rankSum += rank;
      }
    }
    start = end + 1;
  }
  const nNeg = order.length - nPos;
  if (nPos === 0 || nNeg === 0) throw new PldError('PLD_ERR_EVAL_METRIC_INPUT', 'roc_auc: only one class is present in y_true; ROC AUC is not defined then');
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * ROC AUC from class probabilities: binary problems score `classes[1]` as the positive class;
 * `multiClass: 'ovr'` averages one-vs-rest AUCs (`weighted` by prevalence, else macro), as
 * scikit-learn's `roc_auc_ovr` and `roc_auc_ovr_weighted`.
 * @example
 * rocAucFromProba(y, proba, tree.classes!, 'raise');
 */
export function rocAucFromProba(yTrue: Labels, proba: Matrix, classes: Labels, multiClass: 'raise' | 'ovr' | 'ovr_weighted', name = 'roc_auc'): number {
  const column = _columnOf(yTrue, proba, classes, name);
  if (multiClass === 'raise') {
    if (classes.length !== 2) throw new PldError('PLD_ERR_EVAL_METRIC_INPUT', `${name}: the target has ${classes.length} classes; use roc_auc_ovr for multiclass problems`);
    return rocAuc(
      Array.from(column, (k) => k === 1),
      Float64Array.from(column, (_, i) => proba.get(i, 1)),
    );
  }
  let sum = 0;
  let weights = 0;
  for (let k = 0; k < classes.length; k++) {
    const positive = Array.from(column, (c) => c === k);
    const count = positive.filter(Boolean).length;
    if (count === 0) continue;
    const weight = multiClass === 'ovr_weighted' ? count : 1;
    sum +=
      weight *
      rocAuc(
        positive,
        Float64Array.from(column, (_, i) => proba.get(i, k)),
      );
    weights += weight;
  }
  return sum / weights;
}

/**
 * Cross-entropy of class probabilities (scikit-learn's `log_loss`, eps 1e-15): probabilities are
 * clipped to [eps, 1 − eps] and each row renormalised, so a confident mistake costs ~34.5, not ∞.
 * @example
 * logLoss(['a', 'b'], proba, ['a', 'b']); // ≥ 0
 */
export function logLoss(yTrue: Labels, proba: Matrix, classes: Labels, eps = 1e-15): number {
  const column = _columnOf(yTrue, proba, classes, 'log_loss');
  let total = 0;
  for (let i = 0; i < column.length; i++) {
    let rowSum = 0;
    for (let k = 0; k < proba.nCols; k++) rowSum += _clip(proba.get(i, k), eps);
    total -= Math.log(_clip(proba.get(i, column[i]), eps) / rowSum);
  }
  return total / column.length;
}

function _clip(p: number, eps: number): number {
  return Math.min(Math.max(p, eps), 1 - eps);
}

// The predictProba column of each sample's true class; labels the model never saw are an error.
function _columnOf(yTrue: Labels, proba: Matrix, classes: Labels, name: string): Int32Array {
  checkSameLength(yTrue, { length: proba.nRows }, name);
  if (proba.nCols !== classes.length)
    throw new PldError('PLD_ERR_EVAL_METRIC_INPUT', `${name}: predictProba has ${proba.nCols} columns but the model has ${classes.length} classes`);
  const index = new Map<ClassLabel, number>(Array.from(classes as ArrayLike<ClassLabel>, (label, k) => [label, k]));
  const out = new Int32Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) {
    const k = index.get(yTrue[i]);
    if (k === undefined) throw new PldError('PLD_ERR_EVAL_METRIC_INPUT', `${name}: y_true holds the label ${JSON.stringify(yTrue[i])}, which the model was not fitted on`);
    out[i] = k;
  }
  return out;
}
