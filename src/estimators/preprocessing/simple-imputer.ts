import type { z } from 'zod';
import { type Column, isNumericColumn } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { BaseTransformer } from './base-transformer.js';
import { type SimpleImputerParams, simpleImputerParams } from './params.js';

/**
 * Fitted state of a {@link SimpleImputer}: the fill value per column (a number for numeric columns,
 * text for text columns), scikit-learn's `statistics_`.
 * @example
 * const state: SimpleImputerState = { fill: [2.5, 'red'] };
 */
export interface SimpleImputerState {
  fill: (number | string)[];
}

/**
 * Replaces missing values, NaN in numeric columns and `null` in text columns, by the column's mean,
 * median, most frequent value or a constant (`sklearn.impute.SimpleImputer`). Text columns take
 * 'most_frequent' or 'constant' only. A column with no value at all in fit is an error (scikit-learn
 * drops it with a warning, which would silently change the columns the next step sees).
 * @example
 * const Xt = await new SimpleImputer({ strategy: 'median' }).fitTransform(X);
 */
export class SimpleImputer extends BaseTransformer<SimpleImputerParams, SimpleImputerState> {
  protected override get schema(): z.ZodType<SimpleImputerParams> {
    return simpleImputerParams as unknown as z.ZodType<SimpleImputerParams>;
  }

  /** The fill value per column, after fit (scikit-learn's `statistics_`). */
  get statistics(): (number | string)[] {
    return [...this.fitted().fill];
  }

  protected override fitState(columns: Column[], names: readonly string[], params: SimpleImputerParams): SimpleImputerState {
    return { fill: columns.map((column, f) => _fillValue(column, names[f], params)) };
  }

  protected override transformState(columns: Column[], state: SimpleImputerState, nRows: number): Column[] {
    const names = this.featureNames as readonly string[];
    return columns.map((column, f) => {
      const fill = state.fill[f];
      if (isNumericColumn(column) !== (typeof fill === 'number')) {
        throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `SimpleImputer: column '${names[f]}' was ${typeof fill === 'number' ? 'numeric' : 'text'} in fit`, {
          details: { column: names[f] },
        });
      }
      if (isNumericColumn(column)) {
        const out = new Float64Array(nRows);
        for (let i = 0; i < nRows; i++) out[i] = Number.isNaN(column[i]) ? (fill as number) : column[i];
        return out;
      }
      return column.map((value) => value ?? (fill as string));
    });
  }

  protected override namesOut(_state: SimpleImputerState, names: readonly string[]): string[] {
    return [...names];
  }
}

function _fillValue(column: Column, name: string, params: SimpleImputerParams): number | string {
  const numeric = isNumericColumn(column);
  if (params.strategy === 'constant') {
    const fill = params.fill_value ?? (numeric ? 0 : 'missing_value');
    if (numeric !== (typeof fill === 'number')) {
      throw new PldError(
        'PLD_ERR_ESTIMATOR_INVALID_PARAM',
        `SimpleImputer: fill_value: ${JSON.stringify(fill)} does not fit column '${name}', which holds ${numeric ? 'numbers' : 'text'}`,
        { details: { params: ['fill_value'], column: name } },
      );
    }
    return fill;
  }
  if (!numeric && params.strategy !== 'most_frequent') {
    throw new PldError(
      'PLD_ERR_ESTIMATOR_INVALID_PARAM',
      `SimpleImputer: strategy: '${params.strategy}' needs numbers but column '${name}' holds text; use 'most_frequent' or 'constant'`,
      { details: { params: ['strategy'], column: name } },
    );
  }
  const present: (number | string)[] = numeric ? Array.from(column).filter((v) => !Number.isNaN(v)) : (column.filter((v) => v !== null) as string[]);
  if (present.length === 0) {
    throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `SimpleImputer: column '${name}' has no values to compute a ${params.strategy} from`, { details: { column: name } });
  }
  if (params.strategy === 'most_frequent') return _mostFrequent(present);
  const values = Float64Array.from(present as number[]);
  if (params.strategy === 'mean') return values.reduce((a, b) => a + b, 0) / values.length;
  values.sort();
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// Ties go to the smallest value, as scikit-learn's (scipy.stats.mode) does.
function _mostFrequent(values: (number | string)[]): number | string {
  const counts = new Map<number | string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: number | string = values[0];
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && value < best)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}
