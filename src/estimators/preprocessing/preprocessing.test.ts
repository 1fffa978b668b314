import { describe, expect, it } from 'vitest';
import { Frame, MinMaxScaler, OneHotEncoder, OrdinalEncoder, SimpleImputer, StandardScaler } from '../../index.js';

const numeric = () => new Frame({ a: Float64Array.of(1, 2, 3, 4), b: Float64Array.of(10, 10, 10, 10) });
const text = () => new Frame({ color: ['red', 'blue', null, 'red'], size: Float64Array.of(1, 2, 1, 3) });

describe('StandardScaler', () => {
  it('centres and scales by the population std, leaves constant columns unscaled', async () => {
    const Xt = await new StandardScaler().fitTransform(numeric());
    const sd = Math.sqrt(1.25);
    expect(Array.from(Xt.numeric('a'))).toEqual([-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd]);
    expect(Array.from(Xt.numeric('b'))).toEqual([0, 0, 0, 0]);
  });

  it('honours with_mean and with_std, ignores NaN in fit and keeps it', async () => {
    const X = new Frame({ a: Float64Array.of(1, Number.NaN, 3) });
    expect(Array.from((await new StandardScaler({ with_std: false }).fitTransform(X)).numeric('a'))).toEqual([-1, Number.NaN, 1]);
    expect(Array.from((await new StandardScaler({ with_mean: false }).fitTransform(X)).numeric('a'))).toEqual([1, Number.NaN, 3]);
  });

  it('rejects text columns naming them', async () => {
    await expect(new StandardScaler().fit(text())).rejects.toThrow(/column 'color' holds text/);
  });
});

describe('MinMaxScaler', () => {
  it('maps the training range onto feature_range and clips on request', async () => {
    const scaler = await new MinMaxScaler({ feature_range: [-1, 1] }).fit(numeric());
    const scaled = Array.from(scaler.transform(numeric()).numeric('a'));
    [-1, -1 / 3, 1 / 3, 1].forEach((expected, i) => {
      expect(scaled[i]).toBeCloseTo(expected, 12);
    });
    const wide = new Frame({ a: Float64Array.of(0, 7), b: Float64Array.of(10, 10) });
    expect(Array.from(scaler.transform(wide).numeric('a'))[1]).toBeCloseTo(3, 12);
    await scaler.setParams({ clip: true }).fit(numeric());
    expect(Array.from(scaler.transform(wide).numeric('a'))).toEqual([-1, 1]);
  });
});

describe('OneHotEncoder', () => {
  it('names outputs column_value, sorts categories, puts missing last', async () => {
    const enc = new OneHotEncoder();
    const Xt = await enc.fitTransform(text());
    expect(enc.getFeatureNamesOut()).toEqual(['color_blue', 'color_red', 'color_None', 'size_1', 'size_2', 'size_3']);
    expect(Array.from(Xt.numeric('color_red'))).toEqual([1, 0, 0, 1]);
    expect(Array.from(Xt.numeric('size_3'))).toEqual([0, 0, 0, 1]);
  });

  it('errors on unknown categories naming them, or ignores them', async () => {
    const unseen = new Frame({ color: ['green'], size: Float64Array.of(1) });
    const strict = await new OneHotEncoder().fit(text());
    expect(() => strict.transform(unseen)).toThrow(/column 'color' has the unknown category "green"/);
    const lenient = await new OneHotEncoder({ handle_unknown: 'ignore' }).fit(text());
    expect(Array.from(lenient.transform(unseen).numeric('color_blue'))).toEqual([0]);
  });

  it('drops the first or binary category and takes given categories', async () => {
    const enc = new OneHotEncoder({
      drop: 'first',
      categories: [
        ['red', 'blue', null],
        [1, 2, 3],
      ],
    });
    await enc.fit(text());
    expect(enc.getFeatureNamesOut()).toEqual(['color_blue', 'color_None', 'size_2', 'size_3']);
    const binary = new Frame({ yes: ['y', 'n', 'y'] });
    expect((await new OneHotEncoder({ drop: 'if_binary' }).fit(binary)).getFeatureNamesOut()).toEqual(['yes_y']);
  });

  it('rejects sparse output and categories of the wrong kind', async () => {
    await expect(new OneHotEncoder({ sparse_output: true as never }).fit(text())).rejects.toThrow(/sparse_output/);
    await expect(
      new OneHotEncoder({
        categories: [
          [1, 2],
          [1, 2, 3],
        ],
      }).fit(text()),
    ).rejects.toThrow(/column 'color' must be strings/);
  });
});

describe('OrdinalEncoder', () => {
  it('codes by sorted category, missing as NaN, unknown as unknown_value', async () => {
    const enc = await new OrdinalEncoder({ handle_unknown: 'use_encoded_value', unknown_value: -1 }).fit(text());
    const Xt = enc.transform(new Frame({ color: ['red', 'blue', null, 'pink'], size: Float64Array.of(3, 1, 2, 9) }));
    expect(Array.from(Xt.numeric('color'))).toEqual([1, 0, Number.NaN, -1]);
    expect(Array.from(Xt.numeric('size'))).toEqual([2, 0, 1, -1]);
  });

  it('rejects an unknown_value that is a real code, and unknowns by default', async () => {
    await expect(new OrdinalEncoder({ handle_unknown: 'use_encoded_value', unknown_value: 1 }).fit(text())).rejects.toThrow(/unknown_value/);
    const enc = await new OrdinalEncoder().fit(text());
    expect(() => enc.transform(new Frame({ color: ['pink'], size: Float64Array.of(1) }))).toThrow(/unknown category "pink"/);
  });
});

describe('SimpleImputer', () => {
  const gappy = () => new Frame({ x: Float64Array.of(1, Number.NaN, 2, 9), c: ['a', 'b', null, 'b'] });

  it('fills numbers by mean, median or a constant, text by most frequent', async () => {
    const mean = await new SimpleImputer({ strategy: 'mean' }).fitTransform(new Frame({ x: gappy().numeric('x') }));
    expect(Array.from(mean.numeric('x'))).toEqual([1, 4, 2, 9]);
    const median = await new SimpleImputer({ strategy: 'median' }).fitTransform(new Frame({ x: gappy().numeric('x') }));
    expect(median.numeric('x')[1]).toBe(2);
    const frequent = await new SimpleImputer({ strategy: 'most_frequent' }).fitTransform(gappy());
    expect(frequent.column('c')).toEqual(['a', 'b', 'b', 'b']);
    expect(frequent.numeric('x')[1]).toBe(1);
    const constant = await new SimpleImputer({ strategy: 'constant' }).fitTransform(gappy());
    expect(constant.column('c')[2]).toBe('missing_value');
    expect(constant.numeric('x')[1]).toBe(0);
  });

  it('refuses mean on text and a fill_value of the wrong kind, naming the column', async () => {
    await expect(new SimpleImputer().fit(gappy())).rejects.toThrow(/column 'c' holds text/);
    await expect(new SimpleImputer({ strategy: 'constant', fill_value: 'zero' }).fit(gappy())).rejects.toThrow(/fill_value.*column 'x'/);
  });
});
