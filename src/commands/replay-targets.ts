import type { Labels, Matrix } from '../data/frame.js';
import { PldError, toPldError } from '../errors.js';
import type { LoadedModel } from '../persistence/model.js';
import type { PredictService } from '../service/predict-service.js';
import type { PredictionRecord } from '../server/prediction-log/record.js';
import { REPLAY_HEADER } from '../server/prediction-log/prediction-log.js';
import { OIP_PREFIX, primaryService } from '../server/routes/oip.js';

/** What replaying one record gave: an output per row, or why it failed, and the version that answered. */
export type ReplayAnswer = { readonly outputs: readonly unknown[]; readonly version?: number } | { readonly error: string; readonly version?: number };

/** Runs logged inputs against a model and gives its outputs. */
export interface ReplayTarget {
  /** `version 3 (local)`, `http://host:5000`. */
  readonly describe: string;
  replay(record: PredictionRecord): Promise<ReplayAnswer>;
}

/**
 * Replays in this process against a stored version, through the PredictService that answered the
 * request (found by `entry_point`; OIP records use the service OIP used). A record from a service's own
 * route goes through the service's `handle`, as the server ran it; an OIP record through its `predict`
 * step, or the estimator for the other output, as `OipModel.infer` does.
 * @example
 * const target = localTarget(await readModel(ctx, 2), services);
 */
export function localTarget(model: LoadedModel, services: readonly PredictService[]): ReplayTarget {
  const byEntryPoint = new Map(services.map((service) => [service.entryPoint, service]));
  const oipService = primaryService(services);
  return {
    describe: `version ${model.metadata.version} (local)`,
    async replay(record) {
      const own = byEntryPoint.get(record.entry_point);
      const service = own ?? (record.entry_point.startsWith(`${OIP_PREFIX}/`) ? oipService : undefined);
      if (service === undefined) {
        const known = [...byEntryPoint.keys()].join(', ') || 'none';
        throw new PldError(
          'PLD_ERR_REPLAY_UNKNOWN_ENTRY_POINT',
          `Record ${record.request_id} was answered at ${record.entry_point}, but no PredictService of this config serves it (entry points: ${known}); replay with the config the server ran`,
          { details: { entry_point: record.entry_point } },
        );
      }
      const version = model.metadata.version;
      const query = record.params ?? {};
      const serviceOutput = service.options.predict_proba ? 'predict_proba' : 'predict';
      try {
        if (own !== undefined && record.output === serviceOutput) {
          const response = await service.handle(model, { kind: 'batch', body: record.inputs, query });
          if (response.status !== 200) return { error: response.body.metadata.error_message ?? `status ${response.status}`, version };
          const result = response.body.result;
          return { outputs: Array.isArray(result) ? result : [result], version };
        }
        const input = { kind: 'batch', body: record.inputs, query } as const;
        const samples = service.samplesFromData(model, input);
        const params = service.paramsFromData(model, input);
        const { estimator } = model;
        let prediction: Labels | Matrix;
        if (record.output === serviceOutput) prediction = await service.predict(model, samples, params);
        else if (record.output === 'predict') prediction = await estimator.predict(samples, params);
        else if (typeof estimator.predictProba === 'function') prediction = await estimator.predictProba(samples, params);
        else return { error: `version ${version} has no predictProba`, version };
        return { outputs: 'nCols' in prediction ? prediction.toArrays() : Array.from(prediction as ArrayLike<unknown>), version };
      } catch (error) {
        return { error: toPldError(error).message, version };
      }
    },
  };
}

/**
 * Replays against a running server: a record goes to its own `entry_point` as a POST batch (its
 * `params` in the query), OIP records and every record with a pinned `version` to the OIP
 * `/v2/models/{model}[/versions/{v}]/infer`. A server that cannot be reached, or refuses the route
 * (401, 403, 404, 405), is PLD_ERR_REPLAY_REQUEST_FAILED; other error answers count as failed rows.
 * Requests carry `x-pld-replay`, so the server's own prediction log leaves them out.
 * @example
 * const target = httpTarget('http://127.0.0.1:5000');
 */
export function httpTarget(baseUrl: string, version?: number): ReplayTarget {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    describe: version === undefined ? base : `${base} version ${version}`,
    async replay(record) {
      if (version === undefined && !record.entry_point.startsWith(`${OIP_PREFIX}/`)) {
        const query = new URLSearchParams(Object.entries(record.params ?? {}).map(([key, value]): [string, string] => [key, String(value)]));
        const url = `${base}${record.entry_point}${query.size > 0 ? `?${query}` : ''}`;
        const { status, body } = await _post(url, record.inputs);
        const answer = body as { result?: unknown; metadata?: { error_message?: string; model_version?: number } };
        const answered = answer?.metadata?.model_version;
        if (status !== 200) return { error: answer?.metadata?.error_message ?? `status ${status}`, version: answered };
        return { outputs: Array.isArray(answer.result) ? answer.result : [answer.result], version: answered };
      }
      const path = `${OIP_PREFIX}/models/${encodeURIComponent(record.model)}${version === undefined ? '' : `/versions/${version}`}/infer`;
      const { status, body } = await _post(`${base}${path}`, _inferRequest(record));
      const answer = body as { error?: string; model_version?: string; outputs?: { data: unknown[]; shape: number[] }[] };
      if (status !== 200) return { error: answer?.error ?? `status ${status}` };
      const tensor = answer.outputs?.[0];
      const outputs = tensor === undefined ? [] : _rows(tensor.data, tensor.shape);
      return { outputs, version: answer.model_version === undefined ? undefined : Number(answer.model_version) };
    },
  };
}

async function _post(url: string, payload: unknown): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [REPLAY_HEADER]: '1' }, body: JSON.stringify(payload) });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new PldError('PLD_ERR_REPLAY_REQUEST_FAILED', `Cannot reach ${url}: ${cause ?? (error as Error).message}`, { cause: error, details: { url } });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if ([401, 403, 404, 405].includes(response.status)) {
    const reason = (body as { error?: string; metadata?: { error_message?: string } })?.metadata?.error_message ?? (body as { error?: string })?.error ?? text.slice(0, 200);
    throw new PldError('PLD_ERR_REPLAY_REQUEST_FAILED', `${url} answered ${response.status}: ${reason}`, { details: { url, status: response.status } });
  }
  return { status: response.status, body };
}

// One tensor per input field; the datatype follows the values (the server converts per its mapping).
function _inferRequest(record: PredictionRecord): unknown {
  const fields = Object.keys(record.inputs[0] ?? {});
  const inputs = fields.map((name) => {
    const data = record.inputs.map((row) => row[name]);
    const datatype = data.every((v) => typeof v === 'boolean') ? 'BOOL' : data.every((v) => typeof v === 'number') ? 'FP64' : 'BYTES';
    return { name, shape: [data.length], datatype, data };
  });
  return { inputs, outputs: [{ name: record.output }], ...(record.params === undefined ? {} : { parameters: record.params }) };
}

function _rows(data: readonly unknown[], shape: readonly number[]): unknown[] {
  if (shape.length < 2) return [...data];
  const rows: unknown[] = [];
  for (let i = 0; i < data.length; i += shape[1]) rows.push(data.slice(i, i + shape[1]));
  return rows;
}
