import { describe, expect, it } from 'vitest';
import { ColumnTransformer, DecisionTreeClassifier, Frame, StandardScaler } from '../../index.js';

const X = new Frame(
  new Map([
    ['a', Float64Array.from([1, 2, 3, 4])],
    ['b', Float64Array.from([4, 3, 2, 1])],
  ]),
);
const y = ['p', 'p', 'q', 'q'];
const code = (expected: string, text: string) => expect.objectContaining({ code: expected, message: expect.stringContaining(text) });

describe('ColumnTransformer errors name the entry and the column', () => {
  it('refuses columns X lacks, by name or by index', async () => {
    await expect(async () => new ColumnTransformer({ transformers: [['scale', new StandardScaler(), ['a', 'zz']]] }).fit(X)).rejects.toThrow(
      code('PLD_ERR_ESTIMATOR_BAD_INPUT', `ColumnTransformer: 'scale' names the column 'zz', which X lacks; the columns are ["a","b"]`),
    );
    await expect(async () => new ColumnTransformer({ transformers: [['scale', new StandardScaler(), [5]]] }).fit(X)).rejects.toThrow(
      code('PLD_ERR_ESTIMATOR_BAD_INPUT', "ColumnTransformer: 'scale' names column index 5, but X has 2 columns"),
    );
  });

  it('refuses a non-transformer entry and clashing output names without verbose names', async () => {
    await expect(async () => new ColumnTransformer({ transformers: [['clf', new DecisionTreeClassifier({}), ['a']]] }).fit(X, y)).rejects.toThrow(
      code('PLD_ERR_ESTIMATOR_INVALID_PARAM', "ColumnTransformer: transformers: 'clf' is a classifier, not a transformer"),
    );
    const clash = new ColumnTransformer({
      transformers: [
        ['one', new StandardScaler(), ['a']],
        ['two', 'passthrough', ['a']],
      ],
      verbose_feature_names_out: false,
    });
    await expect(async () => clash.fit(X)).rejects.toThrow(code('PLD_ERR_ESTIMATOR_INVALID_PARAM', "two output columns are named 'a'; set verbose_feature_names_out to true"));
  });

  it('takes new transformers, refuses params for drop and passthrough entries, and skips dropped ones in the output', async () => {
    const ct = new ColumnTransformer({
      transformers: [
        ['scale', new StandardScaler(), ['a']],
        ['gone', 'drop', ['b']],
      ],
    });
    expect(() => ct.setParams({ gone__x: 1 })).toThrow(code('PLD_ERR_ESTIMATOR_INVALID_PARAM', "ColumnTransformer: 'gone' is 'drop' and has no params"));
    await ct.fit(X);
    expect(ct.featureNames).toEqual(['a', 'b']);
    expect(ct.getFeatureNamesOut()).toEqual(['scale__a']);
    ct.setParams({ transformers: [['keep', 'passthrough', ['b']]] });
    expect(ct.transformers.map(([name]) => name)).toEqual(['keep']);
    await ct.fit(X);
    const out = await ct.transform(X);
    expect([...out.columns]).toEqual(['keep__b']);
    expect(Array.from(out.column('keep__b') as Float64Array)).toEqual([4, 3, 2, 1]);
  });
});
