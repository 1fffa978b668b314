import type { Frame } from '../../data/frame.js';
import type { LoadedModel } from '../../persistence/model.js';
import { convertField, type FieldType } from '../../service/convert.js';
import type { PredictInput, PredictService } from '../../service/predict-service.js';
import { decodeInferRequest } from '../oip/request.js';
import type { InferResponse } from '../oip/model.js';
import type { LoggedOutput, LoggedRow, PredictionRecord } from './record.js';

/** What every logged request shares: who answered, when, how fast. */
interface EntryBase {
  readonly model: string;
  readonly requestId: string;
  readonly entryPoint: string;
  readonly service: PredictService;
  readonly loaded: LoadedModel;
  /** `Date.now()` when answered. */
  readonly answeredAt: number;
  readonly latencyMs: number;
}

/**
 * A logged request as the queue holds it: references to the request and the answer, converted into a
 * {@link PredictionRecord} only when written (off the request path).
 */
export type LogEntry =
  | (EntryBase & { readonly kind: 'predict'; readonly input: PredictInput; readonly result: unknown })
  | (EntryBase & { readonly kind: 'infer'; readonly body: unknown; readonly response: InferResponse });

/**
 * The record of an entry: inputs are the `mapping` fields of each sample, converted to their types
 * (as the model saw them); outputs are the response's `result` per row, or the first OIP output tensor
 * split into rows.
 * @example
 * sink.write(entries.map(toRecord));
 */
export function toRecord(entry: LogEntry): PredictionRecord {
  const { mapping, params: paramFields, predict_proba: proba } = entry.service.options;
  let inputs: LoggedRow[];
  let params: Record<string, number | string | boolean> | undefined;
  let outputs: unknown[];
  let output: LoggedOutput;
  if (entry.kind === 'predict') {
    const { input } = entry;
    const rows = input.kind === 'single' ? [input.sample] : (input.body as Record<string, unknown>[]);
    inputs = rows.map((row) => _mapped(row, mapping));
    params = _params(input.query, paramFields);
    outputs = input.kind === 'single' ? [entry.result] : Array.isArray(entry.result) ? entry.result : [entry.result];
    output = proba ? 'predict_proba' : 'predict';
  } else {
    const decoded = decodeInferRequest(entry.body, mapping, paramFields);
    inputs = _frameRows(decoded.samples, mapping);
    params = Object.keys(decoded.params).length > 0 ? (decoded.params as Record<string, number | string | boolean>) : undefined;
    const tensor = entry.response.outputs[0];
    output = tensor?.name ?? 'predict';
    outputs = tensor === undefined ? [] : _tensorRows(tensor.data, tensor.shape);
  }
  return {
    ts: new Date(entry.answeredAt).toISOString(),
    request_id: entry.requestId,
    model: entry.model,
    version: entry.loaded.metadata.version,
    entry_point: entry.entryPoint,
    latency_ms: Math.round(entry.latencyMs * 1000) / 1000,
    output,
    inputs,
    ...(params === undefined ? {} : { params }),
    outputs,
  };
}

type _Mapping = readonly (readonly [string, FieldType])[];

function _mapped(row: Readonly<Record<string, unknown>>, mapping: _Mapping): LoggedRow {
  const out: Record<string, number | string | boolean | null> = {};
  for (const [field, type] of mapping) out[field] = _converted(_first(row[field]), type, field);
  return out;
}

function _params(query: Readonly<Record<string, unknown>>, fields: _Mapping): Record<string, number | string | boolean> | undefined {
  if (fields.length === 0) return undefined;
  const out: Record<string, number | string | boolean> = {};
  for (const [field, type] of fields) {
    const raw = _first(query[field]);
    if (raw !== undefined) out[field] = _converted(raw, type, field) ?? String(raw);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

// Bools go back as booleans (the service reads 0/1 as numbers, not bools), so a replay converts them again.
// A custom service may have taken values convertField refuses; those are kept as received.
function _converted(raw: unknown, type: FieldType, field: string): number | string | boolean | null {
  if (raw === undefined || raw === null) return null;
  try {
    const value = convertField(raw, type, field);
    return type === 'bool' ? value === 1 : value;
  } catch {
    return typeof raw === 'number' || typeof raw === 'string' || typeof raw === 'boolean' ? raw : JSON.stringify(raw);
  }
}

function _frameRows(samples: Frame, mapping: _Mapping): LoggedRow[] {
  const rows: LoggedRow[] = [];
  for (let i = 0; i < samples.nRows; i++) {
    const row: Record<string, number | string | boolean | null> = {};
    for (const [field, type] of mapping) {
      const value = samples.column(field)[i];
      row[field] = type === 'bool' ? value === 1 : (value ?? null);
    }
    rows.push(row);
  }
  return rows;
}

function _tensorRows(data: readonly (number | string)[], shape: readonly number[]): unknown[] {
  if (shape.length < 2) return [...data];
  const width = shape[1];
  const rows: unknown[] = [];
  for (let i = 0; i < data.length; i += width) rows.push(data.slice(i, i + width));
  return rows;
}

function _first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}
