import type { z } from 'zod';
import type { Column } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { BaseTransformer } from './base-transformer.js';
import { type Categories, categoriesFor, categoryIndex, checkKnown, formatCategory } from './categories.js';
import { type OneHotEncoderParams, oneHotEncoderParams } from './params.js';

/**
 * Fitted state of a {@link OneHotEncoder}.
 * @example
 * const state: OneHotEncoderState = { categories: [['a', 'b']], drop: [null], handleUnknown: 'error' };
 */
export interface OneHotEncoderState {
  /** Per input column, its categories in output order (scikit-learn's `categories_`). */
  categories: Categories[];
  /** Per input column, the index of the dropped category, or null (scikit-learn's `drop_idx_`). */
  drop: (number | null)[];
  handleUnknown: 'error' | 'ignore';
}

/**
 * One 0/1 column per category (`sklearn.preprocessing.OneHotEncoder`), named `column_value` as
 * scikit-learn's `get_feature_names_out()` names them. Text and numeric columns both work; a missing
 * value (null or NaN) seen in fit is a category of its own, last. Output is always dense.
 * @example
 * const Xt = await new OneHotEncoder({ handle_unknown: 'ignore' }).fitTransform(X); // color_blue, color_red...
 */
export class OneHotEncoder extends BaseTransformer<OneHotEncoderParams, OneHotEncoderState> {
  protected override get schema(): z.ZodType<OneHotEncoderParams> {
    return oneHotEncoderParams as unknown as z.ZodType<OneHotEncoderParams>;
  }

  /** Categories per input column, after fit (scikit-learn's `categories_`). */
  get categories(): Categories[] {
    return this.fitted().categories;
  }

  protected override fitState(columns: Column[], names: readonly string[], params: OneHotEncoderParams): OneHotEncoderState {
    const categories = categoriesFor(columns, names, params.categories, 'OneHotEncoder');
    if (params.handle_unknown === 'error' && params.categories !== 'auto') {
      for (const [f, column] of columns.entries()) checkKnown(column, categoryIndex(categories[f]), names[f], 'OneHotEncoder');
    }
    const drop = categories.map((cats, f) => _dropIndex(params.drop, cats, f, names[f]));
    return { categories, drop, handleUnknown: params.handle_unknown };
  }

  protected override transformState(columns: Column[], state: OneHotEncoderState, nRows: number): Column[] {
    const names = this.featureNames as readonly string[];
    const out: Column[] = [];
    columns.forEach((column, f) => {
      const cats = state.categories[f];
      const index = categoryIndex(cats);
      if (state.handleUnknown === 'error') checkKnown(column, index, names[f], 'OneHotEncoder');
      const blocks = Array.from({ length: cats.length }, () => new Float64Array(nRows));
      for (let i = 0; i < nRows; i++) {
        const k = index.get(column[i]);
        if (k !== undefined) blocks[k][i] = 1;
      }
      blocks.forEach((block, k) => {
        if (k !== state.drop[f]) out.push(block);
      });
    });
    return out;
  }

  protected override namesOut(state: OneHotEncoderState, names: readonly string[]): string[] {
    const out: string[] = [];
    state.categories.forEach((cats, f) => {
      for (let k = 0; k < cats.length; k++) if (k !== state.drop[f]) out.push(`${names[f]}_${formatCategory(cats[k])}`);
    });
    return out;
  }
}

function _dropIndex(spec: OneHotEncoderParams['drop'], cats: Categories, f: number, name: string): number | null {
  if (spec === null) return null;
  if (spec === 'first') return 0;
  if (spec === 'if_binary') return cats.length === 2 ? 0 : null;
  const wanted = spec[f] ?? null;
  const k = categoryIndex(cats).get(typeof wanted === 'number' || cats instanceof Float64Array ? (wanted ?? Number.NaN) : wanted);
  if (k === undefined) {
    throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `OneHotEncoder: drop: ${JSON.stringify(wanted)} is not a category of column '${name}'`, {
      details: { params: ['drop'], column: name },
    });
  }
  return k;
}
