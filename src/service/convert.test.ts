import { describe, expect, it } from 'vitest';
import { convertField } from './convert.js';

describe('convertField', () => {
  it('converts query strings and JSON values to the mapped type', () => {
    expect(convertField('5.2', 'float', 'f')).toBe(5.2);
    expect(convertField(' -1e-3 ', 'float', 'f')).toBe(-0.001);
    expect(convertField(3, 'float', 'f')).toBe(3);
    expect(convertField('4', 'int', 'i')).toBe(4);
    expect(convertField(7, 'str', 's')).toBe('7');
    expect(convertField('TRUE', 'bool', 'b')).toBe(1);
    expect(convertField(false, 'bool', 'b')).toBe(0);
  });

  it.each([
    ['abc', 'float'],
    ['', 'float'],
    ['nan', 'float'],
    ['NaN', 'float'],
    ['inf', 'float'],
    [null, 'float'],
    [[1], 'float'],
    ['1.5', 'int'],
    [1.5, 'int'],
    ['yes', 'bool'],
    [{}, 'str'],
  ] as const)('rejects %j as %s with PLD_ERR_PREDICT_BAD_INPUT naming the field', (value, type) => {
    expect(() => convertField(value, type, 'petal width')).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_PREDICT_BAD_INPUT', message: expect.stringMatching(/^Field 'petal width' must be /) }),
    );
  });
});
