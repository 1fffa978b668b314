import type { Labels } from '../data/frame.js';
import { PldError } from '../errors.js';
import { type ClassLabel, encodeClasses } from './labels.js';

/** How per-class precision/recall/F1 are combined, with scikit-learn's names. */
export type Average = 'binary' | 'macro' | 'micro' | 'weighted';

/**
 * A confusion matrix: `matrix[i][j]` counts samples of true class `labels[i]` predicted as `labels[j]`.
 * @example
 * const { labels, matrix } = confusionMatrix(['a', 'b'], ['a', 'a']); // matrix [[1, 0], [1, 0]]
 */
export interface ConfusionMatrix {
  readonly labels: ClassLabel[];
  readonly matrix: number[][];
}

/**
 * scikit-learn's `confusion_matrix`: rows are true classes, columns predicted, over the sorted union of labels.
 * @example
 * confusionMatrix(Float64Array.of(0, 1, 1), Float64Array.of(0, 1, 0)).matrix; // [[1, 0], [1, 1]]
 */
export function confusionMatrix(yTrue: Labels, yPred: Labels): ConfusionMatrix {
  const { classes, yTrue: t, yPred: p } = encodeClasses(yTrue, yPred, 'confusion_matrix');
  const matrix = classes.map(() => new Array<number>(classes.length).fill(0));
  for (let i = 0; i < t.length; i++) matrix[t[i]][p[i]]++;
  return { labels: classes, matrix };
}

/**
 * scikit-learn's `balanced_accuracy_score`: the mean recall over the classes present in `yTrue`.
 * @example
 * balancedAccuracy(['a', 'a', 'a', 'b'], ['a', 'a', 'a', 'a']); // 0.5
 */
export function balancedAccuracy(yTrue: Labels, yPred: Labels): number {
  const { matrix } = confusionMatrix(yTrue, yPred);
  let sum = 0;
  let present = 0;
  matrix.forEach((row, k) => {
    const support = row.reduce((a, b) => a + b, 0);
    if (support > 0) {
      sum += row[k] / support;
      present++;
    }
  });
  return sum / present;
}

/**
 * Per-class precision, recall, F1 and support, plus their `average` (scikit-learn's
 * `precision_recall_fscore_support`). An undefined ratio (0/0) counts as 0, as scikit-learn's
 * `zero_division="warn"` does. `binary` reports the class labelled `1` (number or string), as
 * scikit-learn's `pos_label=1`.
 * @example
 * precisionRecallF1(['a', 'b', 'b'], ['a', 'b', 'a'], 'macro').f1; // 0.666…
 */
export function precisionRecallF1(
  yTrue: Labels,
  yPred: Labels,
  average: Average,
  metric = 'precision_recall_f1',
): { precision: number; recall: number; f1: number; perClass: PerClassMetrics } {
  const perClass = perClassMetrics(yTrue, yPred);
  const { labels, tp, fp, fn, support } = perClass;
  if (average === 'binary') {
    if (labels.length > 2) {
      throw new PldError(
        'PLD_ERR_EVAL_METRIC_INPUT',
        `${metric}: the target is multiclass (${labels.length} classes) but average is 'binary'; use ${metric}_macro, ${metric}_micro or ${metric}_weighted`,
      );
    }
    const k = labels.findIndex((label) => label === 1 || label === '1');
    if (k < 0) {
      if (labels.length === 2)
        throw new PldError('PLD_ERR_EVAL_METRIC_INPUT', `${metric}: the positive label 1 is not among the labels ${JSON.stringify(labels)}; use ${metric}_macro`);
      return { precision: 0, recall: 0, f1: 0, perClass };
    }
    return { precision: perClass.precision[k], recall: perClass.recall[k], f1: perClass.f1[k], perClass };
  }
  if (average === 'micro') {
    const sumTp = _sum(tp);
    const precision = _ratio(sumTp, sumTp + _sum(fp));
    const recall = _ratio(sumTp, sumTp + _sum(fn));
    return { precision, recall, f1: _f1(precision, recall), perClass };
  }
  const weights = average === 'weighted' ? support : labels.map(() => 1);
  const total = _sum(weights);
  const mean = (values: number[]) => (total === 0 ? 0 : values.reduce((acc, value, k) => acc + value * weights[k], 0) / total);
  return { precision: mean(perClass.precision), recall: mean(perClass.recall), f1: mean(perClass.f1), perClass };
}

/** Per-class counts and ratios, in label order. */
export interface PerClassMetrics {
  readonly labels: ClassLabel[];
  readonly tp: number[];
  readonly fp: number[];
  readonly fn: number[];
  readonly support: number[];
  readonly precision: number[];
  readonly recall: number[];
  readonly f1: number[];
}

/**
 * Precision, recall, F1 and support for every class (scikit-learn's `average=None`).
 * @example
 * perClassMetrics(['a', 'b'], ['a', 'a']).recall; // [1, 0]
 */
export function perClassMetrics(yTrue: Labels, yPred: Labels): PerClassMetrics {
  const { labels, matrix } = confusionMatrix(yTrue, yPred);
  const tp = labels.map((_, k) => matrix[k][k]);
  const support = matrix.map((row) => _sum(row));
  const predicted = labels.map((_, k) => matrix.reduce((acc, row) => acc + row[k], 0));
  const fp = predicted.map((count, k) => count - tp[k]);
  const fn = support.map((count, k) => count - tp[k]);
  const precision = tp.map((value, k) => _ratio(value, predicted[k]));
  const recall = tp.map((value, k) => _ratio(value, support[k]));
  const f1 = precision.map((value, k) => _f1(value, recall[k]));
  return { labels, tp, fp, fn, support, precision, recall, f1 };
}

function _sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function _ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function _f1(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}
