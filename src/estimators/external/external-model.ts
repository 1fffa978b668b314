import type { z } from 'zod';
import { type Frame, type Labels, Matrix } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { BaseEstimator } from '../base.js';
import { encodeLabels } from '../tree/labels.js';
import type { EstimatorCodec } from '../types.js';
import { type ExternalModelParams, externalModelParams } from './params.js';
import { ExternalProcess } from './process.js';

/**
 * Fitted state of an {@link ExternalModel}: the bytes its process gave for `save` (opaque here) and
 * the class labels it reported at `fit`.
 */
export interface ExternalModelState {
  bytes: Uint8Array;
  classes: Labels | null;
}

// Processes of estimators that were garbage-collected (an old version after a hot swap) are ended.
const _reaper = new FinalizationRegistry<ExternalProcess>((proc) => proc.close());

/**
 * A model written in any language, run as a warm child process speaking a JSON-lines protocol on
 * stdin/stdout (`fit`, `predict`, `predict_proba`, `save`, `load`; see docs/external-models.md).
 * `fit` sends the data and stores the bytes the process returns for `save` as the version's state;
 * a served version sends them back with `load` to a fresh process. The process starts on first use,
 * is restarted (and reloaded) after it dies, and every request has a timeout: a crash or a hang fails
 * that request with PLD_ERR_ESTIMATOR_EXTERNAL(_TIMEOUT) naming the command, never hangs it.
 * @example
 * const model = await new ExternalModel({ command: ['python3', 'model.py'] }).fit(X, y);
 * await model.predict(X);
 */
export class ExternalModel extends BaseEstimator<ExternalModelParams, ExternalModelState> {
  #process: ExternalProcess | undefined;
  /** The process generation the state was loaded into; -1 when no running process has it. */
  #loaded = -1;

  get estimatorType(): 'classifier' | 'regressor' {
    return this.params.type === 'regressor' ? 'regressor' : 'classifier';
  }

  protected override get schema(): z.ZodType<ExternalModelParams> {
    return externalModelParams as unknown as z.ZodType<ExternalModelParams>;
  }

  /** Class labels in predictProba's column order, as the process reported them at fit. */
  get classes(): Labels | undefined {
    return this.state?.classes ?? undefined;
  }

  protected override async fitState(X: Frame, y: Labels | undefined, params: ExternalModelParams): Promise<ExternalModelState> {
    const proc = this.#processOf(params);
    const fitted = await proc.request(
      'fit',
      { type: params.type, params: params.params, X: _columns(X, X.columns), y: y === undefined ? null : Array.from(y as ArrayLike<unknown>) },
      params.timeout_ms,
    );
    const saved = await proc.request('save', {}, params.timeout_ms);
    if (typeof saved.state !== 'string') throw this.#protocol('\'save\' must answer with {"state": "<base64>"}');
    this.#loaded = proc.generation;
    let classes: Labels | null = null;
    if (params.type === 'classifier') classes = Array.isArray(fitted.classes) ? _labels(fitted.classes, 'classes') : encodeLabels(y).classes;
    return { bytes: new Uint8Array(Buffer.from(saved.state, 'base64')), classes };
  }

  override setState(state: unknown, codec: EstimatorCodec): this {
    super.setState(state, codec);
    this.#loaded = -1;
    return this;
  }

  override clone(): ExternalModel {
    return new ExternalModel({ ...this.params });
  }

  /** One label or value per row, as the process answers them. */
  async predict(X: Frame): Promise<Labels> {
    const answer = await this.#call('predict', X);
    const labels = _labels(answer.predictions, 'predictions');
    this.#checkRows(labels.length, X.nRows, 'predict');
    return labels;
  }

  /** Class probabilities, one row per sample and one column per entry of `classes`. */
  override async predictProba(X: Frame): Promise<Matrix> {
    const answer = await this.#call('predict_proba', X);
    const rows = answer.probabilities;
    if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row))) throw this.#protocol('\'predict_proba\' must answer with {"probabilities": [[...], ...]}');
    this.#checkRows(rows.length, X.nRows, 'predict_proba');
    const k = rows.length === 0 ? (this.classes?.length ?? 0) : (rows[0] as unknown[]).length;
    const out = new Matrix(rows.length, k);
    rows.forEach((row: number[], i) => {
      for (let c = 0; c < k; c++) out.data[i * k + c] = Number(row[c]);
    });
    return out;
  }

  /** Ends the process now (the next call starts a new one). */
  close(): void {
    this.#process?.close();
  }

  async #call(op: 'predict' | 'predict_proba', X: Frame): Promise<Record<string, unknown>> {
    const state = this.fitted();
    const params = this.resolvedParams();
    const proc = this.#processOf(params);
    proc.ensureStarted();
    if (proc.generation !== this.#loaded) {
      const generation = proc.generation;
      await proc.request('load', { state: Buffer.from(state.bytes).toString('base64') }, params.timeout_ms);
      this.#loaded = generation;
    }
    return proc.request(op, { X: _columns(X, this.featureNames ?? X.columns) }, params.timeout_ms);
  }

  #processOf(params: ExternalModelParams): ExternalProcess {
    if (this.#process === undefined) {
      this.#process = new ExternalProcess({ command: params.command, startGraceMs: params.start_timeout_ms, ...(params.cwd === null ? {} : { cwd: params.cwd }), env: params.env });
      _reaper.register(this, this.#process);
    }
    return this.#process;
  }

  #checkRows(got: number, expected: number, op: string): void {
    if (got !== expected) throw this.#protocol(`'${op}' answered ${got} rows for ${expected}`);
  }

  #protocol(what: string): PldError {
    return new PldError('PLD_ERR_ESTIMATOR_EXTERNAL', `External model [${(this.params.command ?? []).join(' ')}] broke the protocol: ${what}`);
  }
}

/** X as the protocol sends it: an object of columns in feature order; NaN and missing become null. */
function _columns(X: Frame, names: readonly string[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const name of names) {
    if (!X.has(name))
      throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Missing feature '${name}'; the model was fitted on ${JSON.stringify(names)}`, { details: { field: name } });
    out[name] = Array.from(X.column(name) as ArrayLike<unknown>);
  }
  return out;
}

function _labels(values: unknown, field: string): Labels {
  if (!Array.isArray(values)) throw new PldError('PLD_ERR_ESTIMATOR_EXTERNAL', `External model answer lacks the list '${field}'`);
  if (values.every((v) => typeof v === 'number')) return Float64Array.from(values as number[]);
  return values.map((v) => String(v));
}
