import type { z } from 'zod';
import type { Column } from '../../data/frame.js';
import { BaseTransformer } from './base-transformer.js';
import { type MinMaxScalerParams, minMaxScalerParams } from './params.js';

/**
 * Fitted state of a {@link MinMaxScaler}: `x * scale + min` per column, as scikit-learn stores it.
 * @example
 * const state: MinMaxScalerState = { scale: Float64Array.of(0.5), min: Float64Array.of(0), dataMin: Float64Array.of(0), dataMax: Float64Array.of(2), range: [0, 1], clip: false };
 */
export interface MinMaxScalerState {
  scale: Float64Array;
  min: Float64Array;
  dataMin: Float64Array;
  dataMax: Float64Array;
  range: [number, number];
  clip: boolean;
}

/**
 * Scales numeric columns to `feature_range` by their training minimum and maximum
 * (`sklearn.preprocessing.MinMaxScaler`); `clip: true` keeps unseen values inside the range.
 * NaN is ignored in fit and kept in transform, as in scikit-learn.
 * @example
 * const Xt = await new MinMaxScaler({ feature_range: [-1, 1] }).fitTransform(X);
 */
export class MinMaxScaler extends BaseTransformer<MinMaxScalerParams, MinMaxScalerState> {
  protected override get schema(): z.ZodType<MinMaxScalerParams> {
    return minMaxScalerParams as unknown as z.ZodType<MinMaxScalerParams>;
  }

  protected override fitState(columns: Column[], names: readonly string[], params: MinMaxScalerParams): MinMaxScalerState {
    const k = columns.length;
    const [low, high] = params.feature_range;
    const state: MinMaxScalerState = {
      scale: new Float64Array(k),
      min: new Float64Array(k),
      dataMin: new Float64Array(k),
      dataMax: new Float64Array(k),
      range: [low, high],
      clip: params.clip,
    };
    columns.forEach((column, f) => {
      const values = this.numericColumn(column, names[f]);
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < values.length; i++) {
        if (values[i] < lo) lo = values[i];
        if (values[i] > hi) hi = values[i];
      }
      if (lo > hi) lo = hi = Number.NaN;
      // A constant column has range 0; scikit-learn divides by 1 instead.
      const dataRange = hi - lo === 0 ? 1 : hi - lo;
      state.dataMin[f] = lo;
      state.dataMax[f] = hi;
      state.scale[f] = (high - low) / dataRange;
      state.min[f] = low - lo * state.scale[f];
    });
    return state;
  }

  protected override transformState(columns: Column[], state: MinMaxScalerState, nRows: number): Column[] {
    const names = this.featureNames as readonly string[];
    const [low, high] = state.range;
    return columns.map((column, f) => {
      const values = this.numericColumn(column, names[f]);
      const out = new Float64Array(nRows);
      const s = state.scale[f];
      const m = state.min[f];
      for (let i = 0; i < nRows; i++) {
        const v = values[i] * s + m;
        out[i] = state.clip ? Math.min(high, Math.max(low, v)) : v;
      }
      return out;
    });
  }

  protected override namesOut(_state: MinMaxScalerState, names: readonly string[]): string[] {
    return [...names];
  }
}
