import type { FastifyRequest } from 'fastify';
import { PldError } from '../errors.js';

const _TRUE = new Set(['1', 't', 'true', 'y', 'yes', 'on']);
const _FALSE = new Set(['0', 'f', 'false', 'n', 'no', 'off']);

/**
 * The fields of an admin request (`/fit`, `/activate`): the query string, overridden by a JSON object
 * or form body. Palladium read only the form and silently ignored the query; here both count, and a
 * field not in `allowed` is a 400 naming it rather than silently ignored.
 * @example
 * const fields = requestFields(request, ['persist', 'activate']); // { persist: 'true' }
 */
export function requestFields(request: FastifyRequest, allowed: readonly string[]): Record<string, unknown> {
  const query = _isRecord(request.query) ? request.query : {};
  const body = request.body;
  if (body !== undefined && body !== null && body !== '' && !_isRecord(body)) {
    throw new PldError('PLD_ERR_SERVER_BAD_FIELD', `The request body must be a JSON object or a form, got ${Array.isArray(body) ? 'a list' : typeof body}`);
  }
  const fields: Record<string, unknown> = { ...query, ...(_isRecord(body) ? body : {}) };
  const unknown = Object.keys(fields).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    throw new PldError('PLD_ERR_SERVER_BAD_FIELD', `Unknown field ${unknown.map((n) => `'${n}'`).join(', ')}; expected ${allowed.map((n) => `'${n}'`).join(', ')}`, {
      details: { field: unknown[0] },
    });
  }
  return fields;
}

/**
 * A boolean field: JSON `true`/`false`, or Palladium's truthy strings `1`, `t`, `true` (and `y`, `yes`,
 * `on`) against `0`, `f`, `false`, `n`, `no`, `off`, any case. Anything else is a 400 (Palladium took it
 * as false). `undefined` stays `undefined`.
 * @example
 * booleanField('T', 'evaluate'); // true
 */
export function booleanField(value: unknown, field: string): boolean | undefined {
  const single = _single(value);
  if (single === undefined || typeof single === 'boolean') return single;
  const text = String(single).trim().toLowerCase();
  if (_TRUE.has(text)) return true;
  if (_FALSE.has(text)) return false;
  throw new PldError('PLD_ERR_SERVER_BAD_FIELD', `Field '${field}' must be true or false (1, t, true / 0, f, false), got ${JSON.stringify(single)}`, { details: { field } });
}

/**
 * A finite number field (a JSON number or a numeric string); `undefined` stays `undefined`.
 * @example
 * numberField('0.9', 'persist_if_better_than'); // 0.9
 */
export function numberField(value: unknown, field: string): number | undefined {
  const single = _single(value);
  if (single === undefined) return undefined;
  const number = typeof single === 'number' ? single : typeof single === 'string' && single.trim() !== '' ? Number(single) : Number.NaN;
  if (!Number.isFinite(number)) throw new PldError('PLD_ERR_SERVER_BAD_FIELD', `Field '${field}' must be a number, got ${JSON.stringify(single)}`, { details: { field } });
  return number;
}

// A repeated query or form field arrives as a list; like Palladium, the first value counts.
function _single(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

// Query strings and form bodies parse to objects without a prototype, so this is no plain-object check.
function _isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
