import type { FastifyInstance, FastifyReply, preHandlerAsyncHookHandler } from 'fastify';
import { PldError, toPldError } from '../../errors.js';
import type { LoadedModel } from '../../persistence/model.js';
import type { Logger } from '../../logging.js';
import type { PredictService } from '../../service/predict-service.js';
import { PACKAGE_VERSION } from '../../version.js';
import { hooksFor, type RefusalResponder } from '../hooks/resolve.js';
import type { PredictionLog } from '../prediction-log/prediction-log.js';
import { OipModel } from '../oip/model.js';
import type { RouteGroup, ServerParts } from '../parts.js';
import { fromFastifyError } from '../responses.js';
import { markAnswered } from '../traffic/answered.js';
import type { TrafficController } from '../traffic/controller.js';

/** Where the Open Inference Protocol routes live. */
export const OIP_PREFIX = '/v2';
/** The `entry_point` of prediction log records written by OIP inference (pinned versions too). */
export const OIP_INFER_ENTRY_POINT = `${OIP_PREFIX}/models/{name}/infer`;
/** The server name in `GET /v2`. */
export const OIP_SERVER_NAME = 'palladium-ts';

type _Params = { name: string; version?: string };

/**
 * The Open Inference Protocol v2 (KServe / MLServer / Triton REST) beside Palladium's routes, on the same
 * port: `GET /v2`, `/v2/health/live`, `/v2/health/ready` (503 until a model is loaded),
 * `GET /v2/models/{name}[/versions/{v}]`, `…/ready` and `POST …/infer`. The model is named by
 * `service_metadata.service_name` (else `default`) and also answers to `default`; its inputs are the
 * mapping of the service at `/predict` (else the first service), whose hooks (`decorator_list_name`)
 * guard the model routes, so OIP is no way around `/predict`'s auth. Health routes stay open for probes.
 * Every error is `{"error": "…"}`. Without a predict service there is nothing to infer, so nothing is mounted.
 * @example
 * curl -X POST localhost:5000/v2/models/iris/infer -d '{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP64","data":[5.1,3.5,1.4,0.2]}]}'
 */
export const oipRoutes: RouteGroup = async (parts) => {
  const respond: RefusalResponder = (error) => ({ status: error.status, body: { error: error.message } });
  const models: _Mounted[] = [];
  for (const served of parts.models) {
    const service = primaryService(served.services);
    if (service === undefined) continue;
    // The primary model keeps its single-model names (service_name, alias `default`); the others are named by their entry.
    const primary = served === parts.models.primary;
    const model = new OipModel({
      name: primary ? oipModelName(parts) : served.name,
      aliases: primary ? [served.name] : [],
      service,
      holder: served.holder,
      versions: served.versions,
    });
    models.push({ model, hooks: await hooksFor(parts, service.options?.decorator_list_name ?? 'predict_decorators', respond) });
  }
  if (models.length === 0) return;
  const preHandler = _dispatchHooks(models);
  const model = new _OipModels(models.map((m) => m.model));
  const log = parts.ctx.log;
  await parts.app.register(
    async (v2: FastifyInstance) => {
      v2.setErrorHandler((error, _request, reply) => _fail(reply, fromFastifyError(error), log));
      v2.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `No Open Inference Protocol route for ${request.method} ${request.url.split('?')[0]}` }));
      _serverRoutes(v2, parts, log);
      // Counted in pld_predictions_total like /predict, under the infer route's pattern.
      const onPredicted = parts.metrics && ((version: number, rows: number, name: string) => parts.metrics?.predicted(`${OIP_PREFIX}/models/{name}/infer`, version, rows, name));
      for (const versioned of [false, true]) _modelRoutes(v2, model, versioned, preHandler, log, onPredicted, parts.predictionLog, parts.traffic);
    },
    { prefix: OIP_PREFIX },
  );
};

/**
 * The service whose mapping the OIP model and the OpenAPI OIP section use: the one at `/predict`, else
 * the first one.
 * @example
 * const service = primaryService(parts.services);
 */
export function primaryService(services: readonly PredictService[]): PredictService | undefined {
  const withOptions = services.filter((s) => s.options?.mapping !== undefined);
  return withOptions.find((s) => s.entryPoint === '/predict') ?? withOptions[0];
}

/**
 * The OIP model name: `service_metadata.service_name` when it is a non-empty string, else the holder's
 * name (`default`).
 * @example
 * oipModelName(parts); // 'iris'
 */
export function oipModelName(parts: Pick<ServerParts, 'serviceMetadata' | 'holder'>): string {
  const name = parts.serviceMetadata.service_name;
  return typeof name === 'string' && name.trim() !== '' ? name : parts.holder.name;
}

function _serverRoutes(v2: FastifyInstance, parts: ServerParts, log: Logger): void {
  v2.get('/', async () => ({ name: OIP_SERVER_NAME, version: PACKAGE_VERSION, extensions: [] }));
  v2.get('/health/live', async (_request, reply) => reply.code(200).send());
  // Ready when every model is: a load balancer must not route to a process that cannot answer for one.
  v2.get('/health/ready', async (_request, reply) =>
    Promise.all([...parts.models].map((model) => model.holder.get())).then(
      () => reply.code(200).send(),
      (error) => _fail(reply, toPldError(error), log),
    ),
  );
}

function _modelRoutes(
  v2: FastifyInstance,
  model: _OipModels,
  versioned: boolean,
  preHandler: preHandlerAsyncHookHandler[],
  log: Logger,
  onPredicted?: (version: number, rows: number, model: string) => void,
  predictionLog?: PredictionLog,
  traffic?: ReadonlyMap<string, TrafficController>,
): void {
  const base = versioned ? '/models/:name/versions/:version' : '/models/:name';
  const options = preHandler.length > 0 ? { preHandler } : {};
  v2.get<{ Params: _Params }>(base, options, async (request, reply) => {
    const { name, version } = request.params;
    return model.resolve(name, version).then(
      async (loaded) => reply.send(await model.find(name).metadata(loaded)),
      (error) => _fail(reply, toPldError(error), log),
    );
  });
  v2.get<{ Params: _Params }>(`${base}/ready`, options, async (request, reply) => {
    const { name, version } = request.params;
    return model.resolve(name, version).then(
      () => reply.code(200).send(),
      (error) => _fail(reply, toPldError(error), log),
    );
  });
  v2.post<{ Params: _Params }>(`${base}/infer`, options, async (request, reply) => {
    const { name, version } = request.params;
    try {
      const served = model.find(name);
      const started = predictionLog?.sample(request.headers);
      let loaded = await served.resolve(name, version);
      // A pinned version is what the client asked for; only the unpinned path follows the traffic policy.
      const policy = version === undefined ? traffic?.get(served.holder.name) : undefined;
      const routed = policy?.route(request.headers, request.query as Record<string, unknown>);
      if (routed?.answer === 'challenger') {
        loaded = routed.challenger;
        markAnswered(request, loaded.metadata.version);
      }
      const response = await served.infer(loaded, request.body);
      onPredicted?.(loaded.metadata.version, response.outputs[0]?.shape[0] ?? 0, served.holder.name);
      if (started !== undefined && predictionLog !== undefined) {
        const context = { model: served.holder.name, requestId: request.id, entryPoint: OIP_INFER_ENTRY_POINT, service: served.service, body: request.body, started };
        predictionLog.recordInfer(response, loaded, context);
      }
      if (routed?.shadow) {
        const primary = { version: loaded.metadata.version, answer: _comparable(response), requestId: request.id };
        policy?.shadow(routed, primary, async (challenger) => _comparable(await served.infer(challenger, request.body)));
      }
      return reply.send(response);
    } catch (error) {
      return _fail(reply, toPldError(error, 'PLD_ERR_PREDICT_FAILED'), log);
    }
  });
}

// The outputs without the per-response `id` and `model_version`, which always differ between versions.
function _comparable(response: { readonly outputs: readonly { readonly name: string; readonly data: unknown }[] }): unknown {
  return response.outputs.map((output) => ({ name: output.name, data: output.data }));
}

interface _Mounted {
  readonly model: OipModel;
  readonly hooks: preHandlerAsyncHookHandler[];
}

/** The served models by OIP name; an unknown name is PLD_ERR_OIP_MODEL_NOT_FOUND listing the known ones. */
class _OipModels {
  constructor(readonly models: readonly OipModel[]) {}

  find(name: string): OipModel {
    const found = this.models.find((m) => m.name === name) ?? this.models.find((m) => m.answersTo(name));
    if (found !== undefined) return found;
    // One model keeps its own wording (with its aliases); several are listed by name.
    if (this.models.length === 1) return this.models[0];
    throw new PldError('PLD_ERR_OIP_MODEL_NOT_FOUND', `Unknown model '${name}'; this server serves ${this.models.map((m) => `'${m.name}'`).join(', ')}`, {
      details: { model: name },
    });
  }

  resolve(name: string, version?: string): Promise<LoadedModel> {
    return Promise.resolve().then(() => this.find(name).resolve(name, version));
  }
}

// Each model's routes are guarded by its own service's hooks; the routes are shared (`:name`), so the
// guard is picked per request. Models without hooks cost nothing more than the lookup.
function _dispatchHooks(models: readonly _Mounted[]): preHandlerAsyncHookHandler[] {
  if (models.every((m) => m.hooks.length === 0)) return [];
  if (models.length === 1) return models[0].hooks;
  return [
    async function (this: FastifyInstance, request, reply) {
      const { name } = request.params as _Params;
      const mounted = models.find((m) => m.model.name === name) ?? models.find((m) => m.model.answersTo(name));
      for (const hook of mounted?.hooks ?? []) {
        await hook.call(this, request, reply);
        if (reply.sent) return reply;
      }
    },
  ];
}

function _fail(reply: FastifyReply, error: PldError, log: Logger): FastifyReply {
  if (error.status >= 500) log.error(`Open Inference Protocol request failed: ${error.message}`);
  return reply.code(error.status).send({ error: error.message });
}
