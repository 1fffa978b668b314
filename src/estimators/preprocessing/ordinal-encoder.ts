import type { z } from 'zod';
import type { Column } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { BaseTransformer } from './base-transformer.js';
import { type Categories, categoriesFor, categoryIndex, checkKnown } from './categories.js';
import { type OrdinalEncoderParams, ordinalEncoderParams } from './params.js';

/**
 * Fitted state of an {@link OrdinalEncoder}.
 * @example
 * const state: OrdinalEncoderState = { categories: [['a', 'b']], unknownValue: null, missingValue: null };
 */
export interface OrdinalEncoderState {
  /** Per input column, its categories; a value's code is its index here (scikit-learn's `categories_`). */
  categories: Categories[];
  /** Code for unseen values, `null` meaning NaN; undefined when unknown values are an error. */
  unknownValue?: number | null;
  /** Code for missing values (null text, NaN), `null` meaning NaN. */
  missingValue: number | null;
}

/**
 * Each category becomes its index in the sorted categories (`sklearn.preprocessing.OrdinalEncoder`).
 * Missing values are not a category: they become `encoded_missing_value` (NaN by default), as in
 * scikit-learn 1.2. Unseen values are an error unless `handle_unknown: 'use_encoded_value'`.
 * @example
 * const Xt = await new OrdinalEncoder({ handle_unknown: 'use_encoded_value', unknown_value: -1 }).fitTransform(X);
 */
export class OrdinalEncoder extends BaseTransformer<OrdinalEncoderParams, OrdinalEncoderState> {
  protected override get schema(): z.ZodType<OrdinalEncoderParams> {
    return ordinalEncoderParams as unknown as z.ZodType<OrdinalEncoderParams>;
  }

  /** Categories per input column, after fit (scikit-learn's `categories_`). */
  get categories(): Categories[] {
    return this.fitted().categories;
  }

  protected override fitState(columns: Column[], names: readonly string[], params: OrdinalEncoderParams): OrdinalEncoderState {
    const useEncoded = params.handle_unknown === 'use_encoded_value';
    if (useEncoded && params.unknown_value !== null && !Number.isInteger(params.unknown_value)) {
      throw _invalid('unknown_value', `must be an integer or null (NaN) with handle_unknown 'use_encoded_value', got ${params.unknown_value}`);
    }
    if (!useEncoded && params.unknown_value !== null) throw _invalid('unknown_value', "is only used with handle_unknown 'use_encoded_value'; leave it null");
    // Missing values are not categories here: codes count only the present values.
    const present = columns.map((column) => (Array.isArray(column) ? column.filter((value) => value !== null) : column.filter((value) => !Number.isNaN(value))));
    const categories = categoriesFor(present, names, params.categories, 'OrdinalEncoder').map((cats) =>
      cats instanceof Float64Array ? cats.filter((value) => !Number.isNaN(value)) : cats.filter((value) => value !== null),
    );
    if (!useEncoded && params.categories !== 'auto') for (const [f, column] of present.entries()) checkKnown(column, categoryIndex(categories[f]), names[f], 'OrdinalEncoder');
    const code = params.unknown_value;
    if (useEncoded && code !== null && categories.some((cats) => code >= 0 && code < cats.length)) {
      throw _invalid('unknown_value', `${code} is already the code of a category; pick a value outside 0..n_categories-1 (e.g. -1)`);
    }
    return { categories, ...(useEncoded ? { unknownValue: params.unknown_value } : {}), missingValue: params.encoded_missing_value };
  }

  protected override transformState(columns: Column[], state: OrdinalEncoderState, nRows: number): Column[] {
    const names = this.featureNames as readonly string[];
    const missing = state.missingValue ?? Number.NaN;
    return columns.map((column, f) => {
      const index = categoryIndex(state.categories[f]);
      const out = new Float64Array(nRows);
      for (let i = 0; i < nRows; i++) {
        const value = column[i];
        if (value === null || (typeof value === 'number' && Number.isNaN(value))) {
          out[i] = missing;
          continue;
        }
        const code = index.get(value);
        if (code !== undefined) out[i] = code;
        else if (state.unknownValue !== undefined) out[i] = state.unknownValue ?? Number.NaN;
        else {
          throw new PldError(
            'PLD_ERR_ESTIMATOR_BAD_INPUT',
            `OrdinalEncoder: column '${names[f]}' has the unknown category ${JSON.stringify(String(value))} at row ${i}; set handle_unknown to 'use_encoded_value'`,
            { details: { column: names[f], row: i } },
          );
        }
      }
      return out;
    });
  }

  protected override namesOut(_state: OrdinalEncoderState, names: readonly string[]): string[] {
    return [...names];
  }
}

function _invalid(param: string, message: string): PldError {
  return new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `OrdinalEncoder: ${param}: ${message}`, { details: { params: [param] } });
}
