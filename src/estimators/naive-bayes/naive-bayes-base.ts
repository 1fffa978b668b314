import type { Frame, Labels, Matrix } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { argmaxRows, DenseClassifier } from '../linear/dense-estimator.js';
import { decodeLabels } from '../tree/labels.js';
import type { Params } from '../types.js';

/**
 * Base of the naive Bayes classifiers: subclasses give the joint log-likelihood log P(c) + log P(x | c)
 * per row and class; probabilities normalise it with a stable log-sum-exp.
 * @example
 * class MyNB extends NaiveBayes<{}, { classes: Labels }> { ... }
 */
export abstract class NaiveBayes<P extends Params, S extends { classes: Labels }> extends DenseClassifier<P, S> {
  /** Joint log-likelihood: one row per sample, one column per class (scikit-learn's _joint_log_likelihood). */
  abstract jointLogLikelihood(X: Frame): Matrix;

  /** The most likely class of each row, as string[] or Float64Array like the y given to fit. */
  predict(X: Frame): Labels {
    return decodeLabels(this.fitted().classes, argmaxRows(this.jointLogLikelihood(X)));
  }

  /** log P(c | x): the joint log-likelihood minus its log-sum-exp over classes. */
  predictLogProba(X: Frame): Matrix {
    const jll = this.jointLogLikelihood(X);
    const k = jll.nCols;
    const data = jll.data;
    for (let i = 0; i < jll.nRows; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, data[i * k + c]);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(data[i * k + c] - max);
      const lse = max + Math.log(sum);
      for (let c = 0; c < k; c++) data[i * k + c] -= lse;
    }
    return jll;
  }

  /** Class probabilities; rows sum to 1. */
  override predictProba(X: Frame): Matrix {
    const out = this.predictLogProba(X);
    for (let q = 0; q < out.data.length; q++) out.data[q] = Math.exp(out.data[q]);
    return out;
  }
}

/**
 * Validates user-given class priors against the classes found in fit, as scikit-learn does.
 * @example
 * checkPriors('GaussianNB', 'priors', [0.5, 0.5], 2); // Float64Array [0.5, 0.5]
 */
export function checkPriors(owner: string, name: string, priors: number[], nClasses: number): Float64Array {
  const fail = (why: string) => {
    throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `${owner}: ${name}: ${why}, got ${JSON.stringify(priors)}`, { details: { params: [name] } });
  };
  if (priors.length !== nClasses) fail(`must have one entry per class (${nClasses})`);
  const sum = priors.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-8) fail('must sum to 1');
  return Float64Array.from(priors);
}
