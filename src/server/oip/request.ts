import { Frame, type Column } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import type { Params } from '../../estimators/types.js';
import { convertField, type FieldType } from '../../service/convert.js';

/** The tensor datatypes of the Open Inference Protocol that JSON can carry. */
export const OIP_DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'] as const;
export type OipDatatype = (typeof OIP_DATATYPES)[number];

/** The datatype a mapping field has in model metadata (and the one clients should send). */
export const FIELD_DATATYPES: Readonly<Record<FieldType, OipDatatype>> = { float: 'FP64', int: 'INT64', str: 'BYTES', bool: 'BOOL' };

/** The outputs an inference can return. */
export const OIP_OUTPUTS = ['predict', 'predict_proba'] as const;
export type OipOutputName = (typeof OIP_OUTPUTS)[number];

/** A decoded inference request: the samples as a Frame in mapping order, the `params`, the wanted outputs. */
export interface DecodedRequest {
  readonly id: string | undefined;
  readonly samples: Frame;
  readonly params: Params;
  /** The outputs the request names, or `undefined` for the default set. */
  readonly outputs: readonly OipOutputName[] | undefined;
}

type Mapping = readonly (readonly [string, FieldType])[];

/**
 * Decodes an OIP inference request body into a Frame with one column per `mapping` field. Two layouts:
 * one input per field (named like the field, shape `[N]` or `[N, 1]`, as MLServer's `pd` content type
 * sends a DataFrame), or one 2-D input of shape `[N, n_features]` holding the fields in mapping order.
 * `data` may be flat (row-major) or nested. Values are checked against the input's datatype, then
 * converted to the field's type by the same `convertField` the PredictService uses. `params` fields are
 * read from the request's `parameters`. Every problem is PLD_ERR_OIP_BAD_REQUEST naming the input.
 * @example
 * const { samples } = decodeInferRequest({ inputs: [{ name: 'x', shape: [1], datatype: 'FP64', data: [1.5] }] }, [['x', 'float']], []);
 */
export function decodeInferRequest(body: unknown, mapping: Mapping, paramFields: Mapping): DecodedRequest {
  if (!_isRecord(body)) throw _bad(`The request body must be a JSON object with "inputs", got ${_describe(body)}`);
  const id = body.id;
  if (id !== undefined && typeof id !== 'string') throw _bad(`"id" must be a string, got ${_describe(id)}`);
  const parameters = body.parameters;
  if (parameters !== undefined && !_isRecord(parameters)) throw _bad(`"parameters" must be an object, got ${_describe(parameters)}`);
  const inputs = body.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) throw _bad(`"inputs" must be a non-empty list of tensors, got ${_describe(inputs)}`);
  const tensors = inputs.map((input, i) => _tensor(input, i));
  const fields = new Map(mapping.map(([name, type]) => [name, type]));
  const samples = tensors.every((t) => fields.has(t.name)) ? _columnLayout(tensors, mapping) : _matrixLayout(tensors, mapping);
  return { id, samples, params: _params(parameters ?? {}, paramFields), outputs: _outputs(body.outputs) };
}

interface _Tensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly datatype: OipDatatype;
  readonly data: readonly unknown[];
}

function _tensor(input: unknown, index: number): _Tensor {
  if (!_isRecord(input)) throw _bad(`inputs[${index}] must be an object with name, shape, datatype and data, got ${_describe(input)}`);
  const { name, shape, datatype, data } = input;
  if (typeof name !== 'string' || name === '') throw _bad(`inputs[${index}].name must be a non-empty string, got ${_describe(name)}`);
  const where = `input '${name}'`;
  if (typeof datatype !== 'string' || !(OIP_DATATYPES as readonly string[]).includes(datatype)) {
    throw _bad(`${where}: datatype must be one of ${OIP_DATATYPES.join(', ')}, got ${_describe(datatype)}`, name);
  }
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw _bad(`${where}: shape must be a non-empty list of non-negative integers, got ${_describe(shape)}`, name);
  }
  if (!Array.isArray(data)) throw _bad(`${where}: data must be a list, got ${_describe(data)}`, name);
  const flat = data.some(Array.isArray) ? (data.flat(Number.POSITIVE_INFINITY) as unknown[]) : data;
  const expected = shape.reduce((a: number, b: number) => a * b, 1);
  if (flat.length !== expected) throw _bad(`${where}: shape [${shape.join(', ')}] needs ${expected} values, data has ${flat.length}`, name);
  return { name, shape, datatype: datatype as OipDatatype, data: flat };
}

function _columnLayout(tensors: readonly _Tensor[], mapping: Mapping): Frame {
  const byName = new Map<string, _Tensor>();
  for (const tensor of tensors) {
    if (byName.has(tensor.name)) throw _bad(`input '${tensor.name}' is given twice`, tensor.name);
    byName.set(tensor.name, tensor);
  }
  const missing = mapping.filter(([field]) => !byName.has(field)).map(([field]) => `'${field}'`);
  if (missing.length > 0) {
    throw _bad(`missing input ${missing.join(', ')}: send one input per mapping field, or one 2-D input of shape [N, ${mapping.length}]`, missing[0].slice(1, -1));
  }
  let rows: number | undefined;
  const columns = new Map<string, Column>();
  for (const [field, type] of mapping) {
    const tensor = byName.get(field) as _Tensor;
    const { shape } = tensor;
    if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) throw _bad(`input '${field}': shape must be [N] or [N, 1], got [${shape.join(', ')}]`, field);
    rows ??= _rowCount(shape[0], field);
    if (shape[0] !== rows) throw _bad(`input '${field}' has ${shape[0]} rows, expected ${rows} like '${mapping[0][0]}'`, field);
    columns.set(field, _column(tensor, type, rows, 1, 0, field));
  }
  return new Frame(columns);
}

function _matrixLayout(tensors: readonly _Tensor[], mapping: Mapping): Frame {
  const names = new Set(mapping.map(([field]) => field));
  if (tensors.length !== 1) {
    const unknown = tensors.find((t) => !names.has(t.name)) as _Tensor;
    throw _bad(
      `unknown input '${unknown.name}': send one input per mapping field (${mapping.map(([f]) => `'${f}'`).join(', ')}), or exactly one 2-D input of shape [N, ${mapping.length}]`,
      unknown.name,
    );
  }
  const [tensor] = tensors;
  const { shape, name } = tensor;
  const width = mapping.length;
  const oneColumn = width === 1 && shape.length === 1;
  if (!oneColumn && !(shape.length === 2 && shape[1] === width)) {
    throw _bad(`input '${name}': a single input must have shape [N, ${width}] (the mapping's ${width} fields in order), got [${shape.join(', ')}]`, name);
  }
  const rows = _rowCount(shape[0], name);
  const columns = new Map<string, Column>();
  mapping.forEach(([field, type], j) => {
    columns.set(field, _column(tensor, type, rows, width, j, `${name}[:, ${j}] ('${field}')`));
  });
  return new Frame(columns);
}

// One column of a tensor: elements offset, offset + stride, ... checked against the datatype, then converted.
function _column(tensor: _Tensor, type: FieldType, rows: number, stride: number, offset: number, label: string): Column {
  const column: Column = type === 'str' ? new Array<string>(rows) : new Float64Array(rows);
  const check = _CHECKS[tensor.datatype];
  for (let i = 0; i < rows; i++) {
    const value = tensor.data[i * stride + offset];
    if (!check(value)) throw _bad(`input '${tensor.name}': element ${i * stride + offset} is ${_describe(value)}, not a ${tensor.datatype} value`, tensor.name);
    try {
      column[i] = convertField(value, type, label) as never;
    } catch (error) {
      throw _bad(`input '${tensor.name}': ${(error as Error).message}`, tensor.name);
    }
  }
  return column;
}

function _rowCount(rows: number, name: string): number {
  if (rows === 0) throw _bad(`input '${name}' has no rows; send at least one`, name);
  return rows;
}

const _isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const _isInt = (v: unknown): boolean => Number.isInteger(v);
const _isUint = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
const _CHECKS: Readonly<Record<OipDatatype, (value: unknown) => boolean>> = {
  BOOL: (v) => typeof v === 'boolean',
  UINT8: _isUint,
  UINT16: _isUint,
  UINT32: _isUint,
  UINT64: _isUint,
  INT8: _isInt,
  INT16: _isInt,
  INT32: _isInt,
  INT64: _isInt,
  FP16: _isNumber,
  FP32: _isNumber,
  FP64: _isNumber,
  BYTES: (v) => typeof v === 'string',
};

function _params(parameters: Readonly<Record<string, unknown>>, fields: Mapping): Params {
  const params: Params = {};
  for (const [field, type] of fields) {
    const raw = parameters[field];
    if (raw === undefined) continue;
    try {
      params[field] = convertField(raw, type, field);
    } catch (error) {
      throw _bad(`parameters: ${(error as Error).message}`, field);
    }
  }
  return params;
}

function _outputs(outputs: unknown): OipOutputName[] | undefined {
  if (outputs === undefined) return undefined;
  if (!Array.isArray(outputs)) throw _bad(`"outputs" must be a list of {"name": …}, got ${_describe(outputs)}`);
  return outputs.map((output, i) => {
    const name = _isRecord(output) ? output.name : undefined;
    if (typeof name !== 'string' || !(OIP_OUTPUTS as readonly string[]).includes(name)) {
      throw _bad(`outputs[${i}]: unknown output ${_describe(name)}; this model has ${OIP_OUTPUTS.map((o) => `'${o}'`).join(' and ')}`, typeof name === 'string' ? name : undefined);
    }
    return name as OipOutputName;
  });
}

function _bad(message: string, input?: string): PldError {
  return new PldError('PLD_ERR_OIP_BAD_REQUEST', message, input === undefined ? {} : { details: { input } });
}

function _isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function _describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}
