import { FIELD_JSON_TYPES, type FieldType } from '../../service/convert.js';
import type { PredictService } from '../../service/predict-service.js';
import { FIELD_DATATYPES, OIP_DATATYPES, OIP_OUTPUTS } from '../oip/request.js';

/** A JSON Schema (OpenAPI 3.1 uses JSON Schema 2020-12) or a piece of an OpenAPI document. */
export type Json = Record<string, unknown>;

type Mapping = readonly (readonly [string, FieldType])[];

/** `#/components/schemas/<name>`. */
export function ref(name: string): Json {
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * The JSON Schema of one sample of a PredictService: an object with one property per `mapping` field,
 * typed by {@link FIELD_JSON_TYPES}, all required. The service checks the same fields with
 * `convertField`, which also accepts numeric strings, so the schema documents rather than validates.
 * @example
 * sampleSchema([['sepal length', 'float']]); // { type: 'object', required: ['sepal length'], ... }
 */
export function sampleSchema(mapping: Mapping): Json {
  const properties: Record<string, Json> = {};
  for (const [field, type] of mapping) properties[field] = fieldSchema(type);
  return { type: 'object', required: mapping.map(([field]) => field), properties, additionalProperties: true };
}

/** One field's schema; numbers may also be sent as numeric strings (that is what a query string holds). */
export function fieldSchema(type: FieldType): Json {
  const json = FIELD_JSON_TYPES[type];
  return { type: json, description: `${type}${json === 'number' || json === 'integer' ? ' (a numeric string is accepted too)' : ''}` };
}

/** The `result` of a service's response: a label (or a row of probabilities) per sample. */
export function resultSchema(service: PredictService, batch: boolean): Json {
  const one: Json = service.options.predict_proba
    ? { type: 'array', items: { type: 'number' }, description: "class probabilities, in the order of the model's classes" }
    : { type: ['string', 'number'], description: 'the predicted label or value' };
  return batch ? { type: 'array', items: one } : one;
}

/** Palladium's response `metadata`, with the configured `service_metadata` keys and their values as examples. */
export function metadataSchema(serviceMetadata: Readonly<Record<string, unknown>>): Json {
  const properties: Record<string, Json> = {
    status: { type: 'string', enum: ['OK', 'ERROR'] },
    error_code: { type: 'integer', description: '0, or the number of the error code (see the errors reference)' },
    error_message: { type: 'string', description: 'what was wrong, naming the field (errors only)' },
    error_type: { type: 'string', description: 'the stable error code, e.g. PLD_ERR_PREDICT_MISSING_FIELD (errors only)' },
  };
  for (const [key, value] of Object.entries(serviceMetadata)) {
    if (!(key in properties)) properties[key] = { description: 'from service_metadata', examples: [value] };
  }
  return { type: 'object', required: ['status', 'error_code'], properties, additionalProperties: true };
}

/** The shared component schemas: Palladium's error body, `/alive`, `/list`, and the OIP messages. */
export function commonSchemas(serviceMetadata: Readonly<Record<string, unknown>>): Record<string, Json> {
  const tensorMeta: Json = {
    type: 'object',
    required: ['name', 'datatype', 'shape'],
    properties: { name: { type: 'string' }, datatype: { type: 'string', enum: [...OIP_DATATYPES] }, shape: { type: 'array', items: { type: 'integer' } } },
  };
  return {
    ResponseMetadata: metadataSchema(serviceMetadata),
    ErrorResponse: { type: 'object', required: ['metadata'], properties: { metadata: ref('ResponseMetadata') } },
    Alive: {
      type: 'object',
      required: ['memory_usage', 'palladium_version', 'service_metadata', 'process_metadata'],
      properties: {
        memory_usage: { type: 'number', description: 'resident memory in MiB' },
        memory_usage_vms: { type: 'number', description: 'virtual memory in MiB' },
        palladium_version: { type: 'string' },
        service_metadata: { type: 'object' },
        model: { description: '{updated, metadata} of the served model, or "N/A" (then the status is 503)' },
        process_metadata: { type: 'object' },
      },
    },
    List: {
      type: 'object',
      required: ['models', 'properties'],
      properties: { models: { type: 'array', items: { type: 'object' } }, properties: { type: 'object' }, history: { type: 'array', items: { type: 'object' } } },
    },
    OipError: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
    OipServerMetadata: {
      type: 'object',
      required: ['name', 'version', 'extensions'],
      properties: { name: { type: 'string' }, version: { type: 'string' }, extensions: { type: 'array', items: { type: 'string' } } },
    },
    OipTensorMetadata: tensorMeta,
    OipModelMetadata: {
      type: 'object',
      required: ['name', 'platform', 'inputs', 'outputs'],
      properties: {
        name: { type: 'string' },
        versions: { type: 'array', items: { type: 'string' } },
        platform: { type: 'string' },
        inputs: { type: 'array', items: ref('OipTensorMetadata') },
        outputs: { type: 'array', items: ref('OipTensorMetadata') },
      },
    },
    OipRequestInput: {
      type: 'object',
      required: ['name', 'shape', 'datatype', 'data'],
      properties: {
        name: { type: 'string' },
        shape: { type: 'array', items: { type: 'integer', minimum: 0 } },
        datatype: { type: 'string', enum: [...OIP_DATATYPES] },
        parameters: { type: 'object' },
        data: { type: 'array', description: 'row-major values, flat or nested' },
      },
    },
    OipInferRequest: {
      type: 'object',
      required: ['inputs'],
      properties: {
        id: { type: 'string' },
        parameters: { type: 'object', description: "the service's `params` fields are read from here" },
        inputs: { type: 'array', minItems: 1, items: ref('OipRequestInput') },
        outputs: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string', enum: [...OIP_OUTPUTS] } } } },
      },
    },
    OipResponseOutput: {
      type: 'object',
      required: ['name', 'shape', 'datatype', 'data'],
      properties: { name: { type: 'string', enum: [...OIP_OUTPUTS] }, shape: { type: 'array', items: { type: 'integer' } }, datatype: { type: 'string' }, data: { type: 'array' } },
    },
    OipInferResponse: {
      type: 'object',
      required: ['model_name', 'model_version', 'id', 'outputs'],
      properties: { model_name: { type: 'string' }, model_version: { type: 'string' }, id: { type: 'string' }, outputs: { type: 'array', items: ref('OipResponseOutput') } },
    },
  };
}

/** An OIP inference request for a mapping, one input per field (the layout MLServer's `pd` content type sends). */
export function inferExample(mapping: Mapping): Json {
  const example: Record<FieldType, unknown> = { float: 1.5, int: 1, str: 'a', bool: true };
  return { inputs: mapping.map(([field, type]) => ({ name: field, shape: [1], datatype: FIELD_DATATYPES[type], data: [example[type]] })) };
}
