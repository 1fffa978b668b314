import { PldError } from '../errors.js';

/** The value types a PredictService `mapping` or `params` entry may name (Palladium's four). */
export const FIELD_TYPES = ['float', 'int', 'str', 'bool'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * The JSON Schema type of each field type, as the OpenAPI document shows it. It is derived here, beside
 * {@link convertField}, so the document and the validation read the same field definitions. Query
 * strings and numeric strings are still accepted by `convertField`; the schema shows the canonical type.
 * @example
 * FIELD_JSON_TYPES.int; // 'integer'
 */
export const FIELD_JSON_TYPES: Readonly<Record<FieldType, 'number' | 'integer' | 'string' | 'boolean'>> = {
  float: 'number',
  int: 'integer',
  str: 'string',
  bool: 'boolean',
};

const _NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Converts one request value to its mapped type. Strings (query parameters) and JSON values are both
 * accepted; anything else is PLD_ERR_PREDICT_BAD_INPUT naming the field. Unlike Palladium, NaN,
 * infinities, empty strings and non-integral ints are rejected with a 400 instead of a 500, and a JSON
 * `true` is a valid bool.
 * @example
 * convertField('2.5', 'float', 'sepal length'); // 2.5
 */
export function convertField(value: unknown, type: FieldType, field: string): number | string {
  switch (type) {
    case 'float':
    case 'int': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && _NUMBER.test(value.trim()) ? Number(value) : Number.NaN;
      if (!Number.isFinite(number)) throw _bad(field, `a finite number (${type})`, value);
      if (type === 'int' && !Number.isInteger(number)) throw _bad(field, 'an integer (int)', value);
      return number;
    }
    case 'str':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw _bad(field, 'a string (str)', value);
    case 'bool':
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'string' && ['true', 'false'].includes(value.trim().toLowerCase())) return value.trim().toLowerCase() === 'true' ? 1 : 0;
      throw _bad(field, 'a boolean (true or false)', value);
  }
}

function _bad(field: string, expected: string, got: unknown): PldError {
  const shown = got === undefined ? 'nothing' : (JSON.stringify(got) ?? String(got));
  return new PldError('PLD_ERR_PREDICT_BAD_INPUT', `Field '${field}' must be ${expected}, got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`, { details: { field } });
}
