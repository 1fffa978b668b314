import { z } from 'zod';
import { Frame, type Column, type Labels, type Matrix } from '../data/frame.js';
import { PldError, toPldError } from '../errors.js';
import type { Estimator, Params } from '../estimators/types.js';
import type { ModelMetadata } from '../persistence/types.js';
import { convertField, FIELD_TYPES, type FieldType } from './convert.js';

const _fieldList = z.array(z.tuple([z.string().min(1), z.enum(FIELD_TYPES)]));

/** PredictService parameters, Palladium's names and defaults. */
export const predictServiceParams = z
  .object({
    mapping: _fieldList.min(1),
    params: _fieldList.default([]),
    entry_point: z.string().startsWith('/').default('/predict'),
    decorator_list_name: z.string().default('predict_decorators'),
    predict_proba: z.boolean().default(false),
    unwrap_sample: z.boolean().default(false),
  })
  .strict()
  .refine((p) => !p.unwrap_sample || p.mapping.length === 1, { message: 'unwrap_sample needs exactly one mapping entry', path: ['unwrap_sample'] });

export type PredictServiceParams = z.output<typeof predictServiceParams>;

/** A fitted model as the service sees it. */
export interface ServedModel {
  readonly estimator: Estimator;
  readonly metadata: ModelMetadata;
}

/**
 * A predict request, transport-free: one sample (e.g. a GET query) or a batch body (a POST), plus the
 * query values `params` are read from (always the query, as in Palladium).
 */
export type PredictInput =
  | { readonly kind: 'single'; readonly sample: Readonly<Record<string, unknown>>; readonly query: Readonly<Record<string, unknown>> }
  | { readonly kind: 'batch'; readonly body: unknown; readonly query: Readonly<Record<string, unknown>> };

/** Palladium's response `metadata`: status, error code, service metadata. */
export interface ResponseMetadata {
  status: 'OK' | 'ERROR';
  error_code: number;
  error_message?: string;
  error_type?: string;
  [key: string]: unknown;
}

/** A response ready for any transport: an HTTP-like status and the JSON body. */
export interface PredictResponse {
  readonly status: number;
  readonly body: { metadata: ResponseMetadata; result?: unknown };
}

/**
 * Palladium's PredictService with its overridable steps, free of HTTP: `samplesFromData` turns the
 * request into a Frame by `mapping`, `paramsFromData` reads `params`, `predict` calls the model,
 * `responseFromPrediction` and `responseFromError` shape the JSON. Subclass it and override a step
 * (e.g. to add a `prediction_id`), then name the subclass in the config as `./file.ts#MyService`.
 * @example
 * const service = new PredictService({ mapping: [['sepal length', 'float']] });
 * const response = await service.handle(model, { kind: 'single', sample: { 'sepal length': '5.1' }, query: {} });
 */
export class PredictService {
  readonly options: PredictServiceParams;
  /** Merged into every response's metadata (the config's `service_metadata`). */
  serviceMetadata: Readonly<Record<string, unknown>> = {};
  /** The served model's name (`default`, or its entry in `models`), named in every answer's metadata; set by the server. */
  modelName: string | undefined;

  constructor(params: z.input<typeof predictServiceParams>) {
    this.options = predictServiceParams.parse(params);
  }

  get entryPoint(): string {
    return this.options.entry_point;
  }

  /** Runs every step; never throws: errors become error responses (synchronously when the model is synchronous). */
  handle(model: ServedModel, input: PredictInput): PredictResponse | Promise<PredictResponse> {
    try {
      const samples = this.samplesFromData(model, input);
      const params = this.paramsFromData(model, input);
      const prediction = this.predict(model, samples, params);
      const single = input.kind === 'single';
      // In-process models answer synchronously; staying off the microtask queue is a measurable share of a request.
      if (!(prediction instanceof Promise)) return this.responseFromPrediction(prediction, single, model);
      return prediction.then(
        (resolved) => this.responseFromPrediction(resolved, single, model),
        (error) => this.responseFromError(error),
      );
    } catch (error) {
      return this.responseFromError(error);
    }
  }

  /** The request's samples as a Frame with one column per `mapping` entry, converted to its type. */
  samplesFromData(_model: ServedModel, input: PredictInput): Frame {
    const rows = input.kind === 'single' ? [input.sample] : _rowsOf(input.body);
    const columns = new Map<string, Column>();
    for (const [field, type] of this.options.mapping) {
      const numeric = type !== 'str';
      const column: Column = numeric ? new Float64Array(rows.length) : new Array<string>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const raw = _first(rows[i][field]);
        if (raw === undefined) {
          const where = input.kind === 'single' ? '' : `item ${i}: `;
          throw new PldError('PLD_ERR_PREDICT_MISSING_FIELD', `${where}missing field '${field}' (expected ${_article(type)})`, { details: { field, item: i } });
        }
        column[i] = convertField(raw, type, field) as never;
      }
      columns.set(field, column);
    }
    return new Frame(columns);
  }

  /** `params` values from the query string; absent ones are left out. */
  paramsFromData(_model: ServedModel, input: PredictInput): Params {
    const params: Params = {};
    for (const [field, type] of this.options.params) {
      const raw = _first(input.query[field]);
      if (raw !== undefined) params[field] = convertField(raw, type, field);
    }
    return params;
  }

  /** Labels, or class probabilities with `predict_proba`. */
  predict(model: ServedModel, samples: Frame, params: Params): Labels | Matrix | Promise<Labels | Matrix> {
    const { estimator } = model;
    if (this.options.predict_proba) {
      if (typeof estimator.predictProba !== 'function') {
        throw new PldError('PLD_ERR_PREDICT_FAILED', 'This service has predict_proba: true but the model has no predictProba');
      }
      return estimator.predictProba(samples, params);
    }
    return estimator.predict(samples, params);
  }

  responseFromPrediction(prediction: Labels | Matrix, single: boolean, model?: ServedModel): PredictResponse {
    const rows = 'nCols' in prediction ? prediction.toArrays() : Array.from(prediction as ArrayLike<string | number>);
    const metadata = this.metadata('OK', 0);
    // Which version answered: behind a load balancer, replicas swap versions at slightly different times.
    if (this.modelName !== undefined) metadata.model_name = this.modelName;
    if (model?.metadata.version !== undefined) metadata.model_version = model.metadata.version;
    return { status: 200, body: { metadata, result: single ? rows[0] : rows } };
  }

  responseFromError(error: unknown): PredictResponse {
    const pld = toPldError(error, 'PLD_ERR_PREDICT_FAILED');
    const metadata = this.metadata('ERROR', pld.number);
    metadata.error_message = pld.message;
    metadata.error_type = pld.code;
    return { status: pld.status, body: { metadata } };
  }

  /** Response metadata; `status` and `error_code` win over service metadata (Palladium let it override them). */
  protected metadata(status: 'OK' | 'ERROR', errorCode: number): ResponseMetadata {
    return { ...this.serviceMetadata, status, error_code: errorCode };
  }
}

/** Type guard for a {@link PredictService} (or anything with its `handle` step and `entryPoint`). */
export function isPredictService(value: unknown): value is PredictService {
  return (
    value instanceof PredictService ||
    (typeof value === 'object' && value !== null && typeof (value as PredictService).handle === 'function' && typeof (value as PredictService).entryPoint === 'string')
  );
}

function _rowsOf(body: unknown): Readonly<Record<string, unknown>>[] {
  if (!Array.isArray(body)) {
    throw new PldError(
      'PLD_ERR_PREDICT_BAD_INPUT',
      `The request body must be a JSON list of objects, got ${body === null ? 'null' : typeof body === 'object' ? 'an object' : typeof body}`,
    );
  }
  if (body.length === 0) throw new PldError('PLD_ERR_PREDICT_BAD_INPUT', 'The request body is an empty list; send at least one object');
  for (let i = 0; i < body.length; i++) {
    const item = body[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new PldError('PLD_ERR_PREDICT_BAD_INPUT', `item ${i} must be an object of feature values, got ${JSON.stringify(item)}`, { details: { item: i } });
    }
  }
  return body as Record<string, unknown>[];
}

function _first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function _article(type: FieldType): string {
  return { float: 'a float', int: 'an int', str: 'a string', bool: 'a bool' }[type];
}
