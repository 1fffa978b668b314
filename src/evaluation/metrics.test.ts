import { describe, expect, it } from 'vitest';
import { Frame, Matrix } from '../data/frame.js';
import { DecisionTreeClassifier } from '../estimators/tree/decision-tree-classifier.js';
import { balancedAccuracy, confusionMatrix, precisionRecallF1 } from './classification-metrics.js';
import { accuracy, r2 } from './metrics.js';
import { logLoss, rocAuc, rocAucFromProba } from './probability-metrics.js';
import { meanAbsoluteError, meanSquaredError, rootMeanSquaredError } from './regression-metrics.js';
import { scoreModel } from './score.js';
import { builtinScorer, SCORER_NAMES } from './scorers.js';

// Expected values were computed with scikit-learn 1.2.1 on the same inputs.
const t = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'a', 'b', 'c'];
const p = ['a', 'c', 'c', 'a', 'b', 'b', 'b', 'a', 'b', 'c'];

describe('classification metrics match scikit-learn', () => {
  it('accuracy, balanced accuracy and the confusion matrix', () => {
    expect(accuracy(t, p)).toBeCloseTo(0.7, 12);
    expect(balancedAccuracy(t, p)).toBeCloseTo(0.6944444444444443, 12);
    expect(confusionMatrix(t, p)).toEqual({
      labels: ['a', 'b', 'c'],
      matrix: [
        [3, 1, 0],
        [0, 2, 1],
        [0, 1, 2],
      ],
    });
  });

  it.each([
    ['macro', 0.7222222222222222, 0.6944444444444443, 0.6984126984126985],
    ['micro', 0.7, 0.7, 0.7],
    ['weighted', 0.75, 0.7, 0.7142857142857142],
  ] as const)('precision/recall/f1 %s', (average, precision, recall, f1) => {
    const out = precisionRecallF1(t, p, average);
    expect(out.precision).toBeCloseTo(precision, 12);
    expect(out.recall).toBeCloseTo(recall, 12);
    expect(out.f1).toBeCloseTo(f1, 12);
  });

  it('binary averaging reports label 1 and refuses multiclass targets', () => {
    const out = precisionRecallF1(Float64Array.of(0, 1, 1, 0, 1, 0, 0, 1), Float64Array.of(0, 1, 0, 0, 1, 1, 0, 1), 'binary', 'f1');
    expect([out.precision, out.recall, out.f1]).toEqual([0.75, 0.75, 0.75]);
    expect(() => precisionRecallF1(t, p, 'binary', 'f1')).toThrow(/multiclass.*f1_macro/);
  });

  it('ROC AUC (binary, ties, one-vs-rest) and log loss', () => {
    const y = [false, true, true, false, true, false, false, true];
    expect(rocAuc(y, Float64Array.of(0.1, 0.9, 0.4, 0.3, 0.8, 0.6, 0.2, 0.4))).toBeCloseTo(0.875, 12);
    const proba = new Matrix(6, 3, Float64Array.of(0.7, 0.2, 0.1, 0.1, 0.5, 0.4, 0.2, 0.3, 0.5, 0.6, 0.3, 0.1, 0.2, 0.6, 0.2, 0.1, 0.6, 0.3));
    const ty = Float64Array.of(0, 1, 2, 0, 1, 2);
    const classes = Float64Array.of(0, 1, 2);
    expect(rocAucFromProba(ty, proba, classes, 'ovr')).toBeCloseTo(0.8958333333333334, 12);
    expect(rocAucFromProba(ty, proba, classes, 'ovr_weighted')).toBeCloseTo(0.8958333333333334, 12);
    expect(() => rocAucFromProba(ty, proba, classes, 'raise')).toThrow(/roc_auc_ovr/);
    expect(logLoss(ty, proba, classes)).toBeCloseTo(0.6614322261527567, 12);
  });
});

describe('regression metrics match scikit-learn', () => {
  const yt = Float64Array.of(3, -0.5, 2, 7);
  const yp = Float64Array.of(2.5, 0, 2, 8);
  it('r2, MSE, RMSE, MAE', () => {
    expect(r2(yt, yp)).toBeCloseTo(0.9486081370449679, 12);
    expect(meanSquaredError(yt, yp)).toBeCloseTo(0.375, 12);
    expect(rootMeanSquaredError(yt, yp)).toBeCloseTo(0.6123724356957945, 12);
    expect(meanAbsoluteError(yt, yp)).toBeCloseTo(0.5, 12);
    expect(() => meanSquaredError(['a'], ['b'])).toThrow(/numeric targets/);
  });
});

describe('scorers', () => {
  it('negate error metrics and share one prediction between scorers', async () => {
    const X = new Frame({ x: Float64Array.of(0, 1, 2, 3, 4, 5) });
    const y = ['a', 'a', 'a', 'b', 'b', 'b'];
    const tree = await new DecisionTreeClassifier({ random_state: 0 }).fit(X, y);
    let calls = 0;
    const counting = Object.assign(Object.create(tree), { predict: (frame: Frame) => (calls++, tree.predict(frame)) });
    const scores = await scoreModel(counting, X, y, ['accuracy', 'f1_macro', 'balanced_accuracy']);
    expect(scores.map((s) => s.value)).toEqual([1, 1, 1]);
    expect(calls).toBe(1);
    expect(await builtinScorer('neg_log_loss')!.score(tree, X, y)).toBeLessThanOrEqual(0);
    expect(await builtinScorer('roc_auc')!.score(tree, X, y)).toBe(1);
    expect(SCORER_NAMES).toEqual(expect.arrayContaining(['precision_weighted', 'recall_micro', 'neg_root_mean_squared_error', 'roc_auc_ovr']));
    await expect(scoreModel(tree, X, y, 'acuracy')).rejects.toMatchObject({ code: 'PLD_ERR_EVAL_NO_SCORER' });
  });
});
