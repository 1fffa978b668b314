import { describe, expect, it } from 'vitest';
import type { FieldType } from '../../service/convert.js';
import { decodeInferRequest } from './request.js';

const MAPPING: [string, FieldType][] = [
  ['size', 'float'],
  ['count', 'int'],
  ['colour', 'str'],
  ['fresh', 'bool'],
];

describe('decodeInferRequest', () => {
  it('decodes one input per field of every field type into typed Frame columns', () => {
    const { samples, id, outputs } = decodeInferRequest(
      {
        id: 'r1',
        inputs: [
          { name: 'fresh', shape: [2], datatype: 'BOOL', data: [true, false] },
          { name: 'colour', shape: [2, 1], datatype: 'BYTES', data: [['red'], ['blue']] },
          { name: 'count', shape: [2], datatype: 'INT64', data: [3, 4] },
          { name: 'size', shape: [2], datatype: 'FP32', data: [1.5, 2.5] },
        ],
      },
      MAPPING,
      [],
    );
    expect(id).toBe('r1');
    expect(outputs).toBeUndefined();
    expect(samples.columns).toEqual(['size', 'count', 'colour', 'fresh']);
    expect(samples.column('size')).toEqual(Float64Array.of(1.5, 2.5));
    expect(samples.column('count')).toEqual(Float64Array.of(3, 4));
    expect(samples.column('colour')).toEqual(['red', 'blue']);
    expect(samples.column('fresh')).toEqual(Float64Array.of(1, 0));
  });

  it('decodes one [N, n_features] BYTES input in mapping order, converting like a query string', () => {
    const { samples } = decodeInferRequest({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'BYTES', data: ['1.5', '3', 'red', 'true'] }] }, MAPPING, []);
    expect(samples.column('size')).toEqual(Float64Array.of(1.5));
    expect(samples.column('count')).toEqual(Float64Array.of(3));
    expect(samples.column('colour')).toEqual(['red']);
    expect(samples.column('fresh')).toEqual(Float64Array.of(1));
  });

  it('reads the service params from the request parameters and names a bad one', () => {
    const input = { name: 'x', shape: [1, 1], datatype: 'FP64', data: [1] };
    const { params } = decodeInferRequest({ inputs: [input], parameters: { threshold: '0.5', content_type: 'np' } }, [['x', 'float']], [['threshold', 'float']]);
    expect(params).toEqual({ threshold: 0.5 });
    expect(() => decodeInferRequest({ inputs: [input], parameters: { threshold: 'high' } }, [['x', 'float']], [['threshold', 'float']])).toThrow(/parameters: Field 'threshold'/);
  });

  it('rejects values that do not fit the datatype or the field, naming the input', () => {
    const one = (datatype: string, data: unknown[]) => () => decodeInferRequest({ inputs: [{ name: 'x', shape: [1, 4], datatype, data }] }, MAPPING, []);
    expect(one('FP64', [1.5, 3, 'red', true])).toThrow(/input 'x': element 2 is "red", not a FP64 value/);
    expect(one('BYTES', ['1.5', '3.5', 'red', 'true'])).toThrow(/input 'x': Field 'x\[:, 1\] \('count'\)' must be an integer/);
    expect(one('UINT8', [1, -3, 2, 1])).toThrow(/element 1 is -3, not a UINT8 value/);
    expect(one('BYTES', ['1.5', '3', 'red', 'maybe'])).toThrow(/must be a boolean/);
  });
});
