import { describe, expect, it } from 'vitest';
import type { Column } from '../frame.js';
import { parseNumber, toColumn } from './column-types.js';

/** Numeric columns as plain arrays, so NaN compares equal in toEqual. */
const numbers = (column: Column): number[] => {
  expect(column).toBeInstanceOf(Float64Array);
  return Array.from(column as Float64Array);
};

const fail = (row: number, problem: string): never => {
  throw new Error(`${row}: ${problem}`);
};

describe('parseNumber', () => {
  it('accepts what pandas reads as numbers', () => {
    expect(['1', '1.5', '-2e3', ' 3 ', '+4', '.5', '5.', '1E-2', 'inf', '-Infinity', 'INF'].map(parseNumber)).toEqual([
      1,
      1.5,
      -2000,
      3,
      4,
      0.5,
      5,
      0.01,
      Infinity,
      -Infinity,
      Infinity,
    ]);
  });

  it('rejects text, including forms Number() would take', () => {
    for (const text of ['', ' ', 'abc', '0x10', '0b1', '0o7', '1_000', '1,5', '1e', '.', '--1', 'Iris-setosa']) expect(parseNumber(text), text).toBeUndefined();
  });
});

describe('toColumn', () => {
  it('infers numeric columns with NaN for missing values', () => {
    const column = toColumn(['1', null, '2.5', 3], undefined, fail);
    expect(column).toBeInstanceOf(Float64Array);
    expect(numbers(column)).toEqual([1, Number.NaN, 2.5, 3]);
  });

  it('falls back to text, keeping the original spelling, with null for missing values', () => {
    expect(toColumn(['1.50', null, 'x', 2], undefined, fail)).toEqual(['1.50', null, 'x', '2']);
  });

  it('applies dtypes', () => {
    expect(toColumn(['1', '2'], 'str', fail)).toEqual(['1', '2']);
    expect(toColumn(['1', '2'], 'category', fail)).toEqual(['1', '2']);
    expect(numbers(toColumn(['1', null], 'float', fail))).toEqual([1, Number.NaN]);
    expect(numbers(toColumn(['1', '-3'], 'int', fail))).toEqual([1, -3]);
  });

  it('calls fail with the row and the problem', () => {
    expect(() => toColumn(['1', 'x'], 'float', fail)).toThrow('1: not a number');
    expect(() => toColumn(['1', '1.5'], 'int', fail)).toThrow('1: not an integer');
    expect(() => toColumn([null], 'int', fail)).toThrow('0: missing');
  });
});
