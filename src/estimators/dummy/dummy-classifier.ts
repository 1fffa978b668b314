import type { z } from 'zod';
import { type Frame, type Labels, Matrix } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { DenseClassifier } from '../linear/dense-estimator.js';
import { countClasses, decodeLabels, encodeLabels } from '../tree/labels.js';
import { mulberry32 } from '../tree/prng.js';
import { type DummyClassifierParams, dummyClassifierParams } from './params.js';

/**
 * Fitted state of a {@link DummyClassifier}: the classes, their shares in y, and the constant's code.
 * @example
 * const state: DummyClassifierState = { classes: ['a', 'b'], classPrior: Float64Array.of(0.25, 0.75), constantCode: -1 };
 */
export interface DummyClassifierState {
  classes: Labels;
  classPrior: Float64Array;
  /** Index of `constant` in `classes`, or -1 for the other strategies. */
  constantCode: number;
}

/**
 * A baseline classifier that ignores the features (`sklearn.dummy.DummyClassifier`): 'prior' and
 * 'most_frequent' predict the commonest class ('prior' returns the class shares as probabilities),
 * 'stratified' and 'uniform' draw classes at random (reproducibly with `random_state`), 'constant'
 * always predicts `constant`.
 * @example
 * const baseline = await new DummyClassifier({ strategy: 'most_frequent' }).fit(X, y);
 * baseline.score(X, y); // the share of the commonest class
 */
export class DummyClassifier extends DenseClassifier<DummyClassifierParams, DummyClassifierState> {
  protected override get schema(): z.ZodType<DummyClassifierParams> {
    return dummyClassifierParams as unknown as z.ZodType<DummyClassifierParams>;
  }

  /** Share of each class in the training labels (scikit-learn's class_prior_). */
  get classPrior(): Float64Array {
    return this.fitted().classPrior.slice();
  }

  protected override fitState(X: Frame, y: Labels | undefined, params: DummyClassifierParams): DummyClassifierState {
    // The features are not used, but they are checked like every estimator's, so a broken column fails at fit.
    this.finiteFeatures(X);
    const { classes, codes } = encodeLabels(y);
    // Counts over n, as scikit-learn's class_distribution (one division per class, not per row).
    const classPrior = countClasses(codes, classes.length).map((count) => count / codes.length);
    let constantCode = -1;
    if (params.strategy === 'constant') {
      constantCode = (classes as readonly (string | number)[]).indexOf(params.constant as string | number);
      if (params.constant === null || constantCode < 0)
        throw new PldError(
          'PLD_ERR_ESTIMATOR_INVALID_PARAM',
          `DummyClassifier: constant: must be one of the training classes ${JSON.stringify(Array.from(classes as ArrayLike<unknown>))} with strategy 'constant', got ${JSON.stringify(params.constant)}`,
          { details: { params: ['constant'] } },
        );
    }
    return { classes, classPrior, constantCode };
  }

  /** Probabilities by strategy: class shares, one-hot rows, random one-hot rows, or 1/k each. */
  override predictProba(X: Frame): Matrix {
    const s = this.fitted();
    this.finiteFeatures(X);
    const params = this.resolvedParams();
    const k = s.classes.length;
    const out = new Matrix(X.nRows, k);
    const n = X.nRows;
    switch (params.strategy) {
      case 'prior':
        for (let i = 0; i < n; i++) out.data.set(s.classPrior, i * k);
        break;
      case 'uniform':
        out.data.fill(1 / k);
        break;
      case 'stratified': {
        const rand = mulberry32(params.random_state);
        for (let i = 0; i < n; i++) out.data[i * k + _draw(s.classPrior, rand())] = 1;
        break;
      }
      default: {
        const code = _fixedCode(s, params.strategy);
        for (let i = 0; i < n; i++) out.data[i * k + code] = 1;
      }
    }
    return out;
  }

  /** One label per row by strategy, as string[] or Float64Array like the y given to fit (the argmax of predictProba's rows, without them). */
  predict(X: Frame): Labels {
    const s = this.fitted();
    const params = this.resolvedParams();
    this.finiteFeatures(X);
    const codes = new Int32Array(X.nRows);
    switch (params.strategy) {
      case 'uniform': {
        const rand = mulberry32(params.random_state);
        for (let i = 0; i < codes.length; i++) codes[i] = Math.floor(rand() * s.classes.length);
        break;
      }
      case 'stratified': {
        const rand = mulberry32(params.random_state);
        for (let i = 0; i < codes.length; i++) codes[i] = _draw(s.classPrior, rand());
        break;
      }
      default:
        codes.fill(_fixedCode(s, params.strategy));
    }
    return decodeLabels(s.classes, codes);
  }
}

/** The class every row gets under 'prior', 'most_frequent' and 'constant'. */
function _fixedCode(s: DummyClassifierState, strategy: DummyClassifierParams['strategy']): number {
  return strategy === 'constant' ? s.constantCode : _argmax(s.classPrior);
}

/** The class whose cumulative share first exceeds u (inverse-CDF sampling). */
function _draw(prior: Float64Array, u: number): number {
  let cumulative = 0;
  for (let c = 0; c < prior.length; c++) {
    cumulative += prior[c];
    if (u < cumulative) return c;
  }
  return prior.length - 1;
}

function _argmax(values: Float64Array): number {
  let best = 0;
  for (let c = 1; c < values.length; c++) if (values[c] > values[best]) best = c;
  return best;
}
