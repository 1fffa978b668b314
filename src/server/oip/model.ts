import { randomUUID } from 'node:crypto';
import type { Labels, Matrix } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import type { LoadedModel } from '../../persistence/model.js';
import type { ModelHolder } from '../../service/model-holder.js';
import type { PredictService } from '../../service/predict-service.js';
import { decodeInferRequest, FIELD_DATATYPES, type OipDatatype, type OipOutputName } from './request.js';
import { ModelVersions } from '../models/versions.js';

/** The `platform` in model metadata: informational, names what runs the model. */
export const OIP_PLATFORM = 'palladium-ts';

/** One tensor of model metadata. */
export interface TensorMetadata {
  readonly name: string;
  readonly datatype: OipDatatype;
  /** `-1` is a variable dimension (the batch). */
  readonly shape: readonly number[];
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** `GET /v2/models/{name}[/versions/{v}]`. */
export interface ModelMetadataResponse {
  readonly name: string;
  readonly versions: readonly string[];
  readonly platform: string;
  readonly inputs: readonly TensorMetadata[];
  readonly outputs: readonly TensorMetadata[];
}

/** One output tensor of an inference response. */
export interface OutputTensor {
  readonly name: OipOutputName;
  readonly datatype: OipDatatype;
  readonly shape: readonly number[];
  readonly data: readonly (number | string)[];
}

/** `POST /v2/models/{name}[/versions/{v}]/infer`. */
export interface InferResponse {
  readonly model_name: string;
  readonly model_version: string;
  readonly id: string;
  readonly outputs: readonly OutputTensor[];
}

/**
 * The served model as the Open Inference Protocol sees it: its name (and alias), its inputs from a
 * PredictService's `mapping`, its versions (the active one from the ModelHolder, pinned ones from
 * {@link ModelVersions}) and inference through the service's `predict` step on a Frame built from the
 * request's columns. No HTTP here; `routes/oip.ts` adapts it.
 * @example
 * const oip = new OipModel({ name: 'iris', service, holder });
 * const response = await oip.infer(await oip.resolve('iris'), body);
 */
export class OipModel {
  readonly name: string;
  /** Other names this model answers to (`default`, so generic clients need not know the name). */
  readonly aliases: readonly string[];
  readonly service: PredictService;
  readonly holder: ModelHolder;
  readonly versions: ModelVersions;

  /** `versions` shares a model's LRU with its other routes; without it the model gets its own of `pinned` entries. */
  constructor(options: { name: string; aliases?: readonly string[]; service: PredictService; holder: ModelHolder; pinned?: number; versions?: ModelVersions }) {
    this.name = options.name;
    this.aliases = (options.aliases ?? []).filter((alias) => alias !== options.name);
    this.service = options.service;
    this.holder = options.holder;
    this.versions = options.versions ?? new ModelVersions(options.holder, options.pinned);
  }

  /** True when `name` is this model's name or an alias. */
  answersTo(name: string): boolean {
    return name === this.name || this.aliases.includes(name);
  }

  /**
   * The model for a path: the active one without `version`, the pinned one with it. Unknown names are
   * PLD_ERR_OIP_MODEL_NOT_FOUND and unknown or malformed versions PLD_ERR_PERSIST_VERSION_NOT_FOUND (both
   * 404); no active model yet is PLD_ERR_SERVER_MODEL_NOT_LOADED (503).
   */
  async resolve(name: string, version?: string): Promise<LoadedModel> {
    if (!this.answersTo(name)) {
      throw new PldError(
        'PLD_ERR_OIP_MODEL_NOT_FOUND',
        `Unknown model '${name}'; this server serves '${this.name}'${this.aliases.length > 0 ? ` (alias ${this.aliases.map((a) => `'${a}'`).join(', ')})` : ''}`,
        {
          details: { model: name },
        },
      );
    }
    if (version === undefined) return this.holder.get();
    if (!/^[1-9]\d*$/.test(version)) {
      throw new PldError('PLD_ERR_PERSIST_VERSION_NOT_FOUND', `Model '${this.name}' has no version '${version}'; versions are positive integers`, { details: { version } });
    }
    return this.versions.get(Number(version));
  }

  /** Model metadata: every stored version, one input per mapping field, `predict` and (if the model has it) `predict_proba`. */
  async metadata(model: LoadedModel): Promise<ModelMetadataResponse> {
    const stored = await this.holder.persister.listModels();
    const versions = stored.map((m) => m.version).sort((a, b) => a - b);
    const inputs = this.service.options.mapping.map(([field, type]) => ({ name: field, datatype: FIELD_DATATYPES[type], shape: [-1] }));
    const { estimator } = model;
    const outputs: TensorMetadata[] = [{ name: 'predict', datatype: _labelDatatype(estimator.classes), shape: [-1] }];
    if (typeof estimator.predictProba === 'function') {
      const classes = estimator.classes === undefined ? [] : Array.from(estimator.classes as ArrayLike<string | number>);
      outputs.push({ name: 'predict_proba', datatype: 'FP64', shape: [-1, classes.length > 0 ? classes.length : -1], parameters: { classes } });
    }
    return { name: this.name, versions: versions.map(String), platform: OIP_PLATFORM, inputs, outputs };
  }

  /**
   * Runs one inference request. `predict` comes from the service's `predict` step (so a subclass that
   * overrides it is honoured) unless the service is a `predict_proba` one, whose step gives the
   * `predict_proba` output; the other output comes straight from the estimator. Without `outputs` in the
   * request, a service answers `predict`, and `predict_proba` too when it is a `predict_proba` service.
   */
  async infer(model: LoadedModel, body: unknown): Promise<InferResponse> {
    const { mapping, params: paramFields, predict_proba: probaService } = this.service.options;
    const request = decodeInferRequest(body, mapping, paramFields);
    const wanted = new Set<OipOutputName>(request.outputs ?? (probaService ? ['predict', 'predict_proba'] : ['predict']));
    const { estimator } = model;
    if (wanted.has('predict_proba') && typeof estimator.predictProba !== 'function') {
      throw new PldError('PLD_ERR_OIP_BAD_REQUEST', `Output 'predict_proba' is not available: the model (${model.metadata.factory ?? 'estimator'}) has no predictProba`, {
        details: { output: 'predict_proba' },
      });
    }
    const { samples, params } = request;
    const outputs: OutputTensor[] = [];
    for (const name of wanted) {
      if (name === 'predict') {
        const labels = probaService ? await estimator.predict(samples, params) : ((await this.service.predict(model, samples, params)) as Labels);
        outputs.push({ name, datatype: _labelDatatype(labels), shape: [labels.length], data: Array.from(labels as ArrayLike<number | string>) });
      } else {
        const proba = probaService
          ? ((await this.service.predict(model, samples, params)) as Matrix)
          : await (estimator.predictProba as NonNullable<typeof estimator.predictProba>)(samples, params);
        outputs.push({ name, datatype: 'FP64', shape: [proba.nRows, proba.nCols], data: Array.from(proba.data) });
      }
    }
    return { model_name: this.name, model_version: String(model.metadata.version), id: request.id ?? randomUUID(), outputs };
  }
}

// Numeric labels (regression, numeric classes) are FP64, text labels BYTES.
function _labelDatatype(labels: ArrayLike<unknown> | undefined): OipDatatype {
  if (labels === undefined || labels instanceof Float64Array) return 'FP64';
  return 'BYTES';
}
