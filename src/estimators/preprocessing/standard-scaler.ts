import type { z } from 'zod';
import type { Column } from '../../data/frame.js';
import { BaseTransformer } from './base-transformer.js';
import { type StandardScalerParams, standardScalerParams } from './params.js';

/**
 * Fitted state of a {@link StandardScaler}: what to subtract and divide by, per column.
 * @example
 * const state: StandardScalerState = { mean: Float64Array.of(1), scale: Float64Array.of(2) };
 */
export interface StandardScalerState {
  /** Subtracted per column (zeros when `with_mean` is false). */
  mean: Float64Array;
  /** Divided by per column: the population standard deviation, 1 for constant columns or `with_std: false`. */
  scale: Float64Array;
}

/**
 * Standardizes numeric columns to zero mean and unit variance (`sklearn.preprocessing.StandardScaler`).
 * Like scikit-learn, NaN is ignored when fitting and passes through `transform` unchanged, so an
 * imputer can come later in the pipeline; text columns are an error naming the column.
 * @example
 * const Xt = await new StandardScaler().fitTransform(X);
 */
export class StandardScaler extends BaseTransformer<StandardScalerParams, StandardScalerState> {
  protected override get schema(): z.ZodType<StandardScalerParams> {
    return standardScalerParams as unknown as z.ZodType<StandardScalerParams>;
  }

  protected override fitState(columns: Column[], names: readonly string[], params: StandardScalerParams): StandardScalerState {
    const mean = new Float64Array(columns.length);
    const scale = new Float64Array(columns.length).fill(1);
    columns.forEach((column, f) => {
      const values = this.numericColumn(column, names[f]);
      const { mean: m, variance } = _nanMeanVariance(values);
      if (params.with_mean) mean[f] = m;
      // Zero variance (or an all-NaN column) would divide by 0; scikit-learn leaves such columns unscaled.
      if (params.with_std && variance > 0) scale[f] = Math.sqrt(variance);
    });
    return { mean, scale };
  }

  protected override transformState(columns: Column[], state: StandardScalerState, nRows: number): Column[] {
    const names = this.featureNames as readonly string[];
    return columns.map((column, f) => {
      const values = this.numericColumn(column, names[f]);
      const out = new Float64Array(nRows);
      const m = state.mean[f];
      const s = state.scale[f];
      for (let i = 0; i < nRows; i++) out[i] = (values[i] - m) / s;
      return out;
    });
  }

  protected override namesOut(_state: StandardScalerState, names: readonly string[]): string[] {
    return [...names];
  }
}

// Two-pass mean and variance (numerically stable enough for float64 and what numpy's nanvar computes).
function _nanMeanVariance(values: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) {
      sum += values[i];
      count++;
    }
  }
  if (count === 0) return { mean: Number.NaN, variance: 0 };
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) squares += (values[i] - mean) ** 2;
  return { mean, variance: squares / count };
}
