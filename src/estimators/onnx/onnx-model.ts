import { readFileSync } from 'node:fs';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { z } from 'zod';
import { type Frame, type Labels, Matrix } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { BaseEstimator } from '../base.js';
import type { EstimatorCodec } from '../types.js';
import { type OnnxModelParams, onnxModelParams } from './params.js';
import { DataType, type OnnxInput, type PreparedOnnx, prepareOnnx } from './proto.js';

/**
 * Fitted state of an {@link OnnxModel}: the ONNX bytes as read from `path` (stored in the artifact, so
 * a served version never needs the file again).
 */
export interface OnnxModelState {
  onnx: Uint8Array;
}

type OrtModule = typeof import('onnxruntime-node');

/**
 * A model in ONNX format, run by ONNX Runtime (onnxruntime-node, CPU). It is pre-fitted: `fit` reads
 * the file at `path` and checks it against the columns of X, and learns nothing (y is ignored).
 * The bytes go into the model store like any fitted state; one inference session is created per
 * instance (so per stored version) on first use and reused.
 * Inputs: one 2-D tensor `[rows, features]` built from the feature columns in order, or one input per
 * column (named like the column). Outputs: a classifier reads labels from `label_output` and
 * probabilities from `proba_output` (a tensor, or a ZipMap as scikit-learn converters write it);
 * a regressor reads `output`.
 * @example
 * const model = await new OnnxModel({ path: 'iris.onnx' }).fit(X);
 * await model.predictProba(X);
 */
export class OnnxModel extends BaseEstimator<OnnxModelParams, OnnxModelState> {
  #prepared: PreparedOnnx | undefined;
  #session: Promise<{ ort: OrtModule; session: InferenceSession }> | undefined;

  get estimatorType(): 'classifier' | 'regressor' {
    return this.params.type === 'regressor' ? 'regressor' : 'classifier';
  }

  protected override get schema(): z.ZodType<OnnxModelParams> {
    return onnxModelParams as unknown as z.ZodType<OnnxModelParams>;
  }

  /** Class labels in probability column order: the `classes` param, else those written in the graph. */
  get classes(): Labels | undefined {
    if (this.estimatorType !== 'classifier' || this.#prepared === undefined) return undefined;
    const classes = this.params.classes ?? this.#prepared.classes;
    if (classes === undefined) return undefined;
    return typeof classes[0] === 'number' ? Float64Array.from(classes as number[]) : [...(classes as string[])];
  }

  override async fit(X: Frame, y?: Labels): Promise<this> {
    await super.fit(X, y);
    // Explicit `features` first, then the names an exporter wrote into the graph, else X's columns.
    const features = this.resolvedParams().features ?? this.#prepared?.featureNames;
    if (features !== undefined && features !== null) this.featureNames = [...features];
    this.#check(X);
    return this;
  }

  protected override fitState(_X: Frame, _y: Labels | undefined, params: OnnxModelParams): OnnxModelState {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(params.path));
    } catch (error) {
      throw new PldError('PLD_ERR_ESTIMATOR_ONNX', `OnnxModel: cannot read path '${params.path}': ${(error as Error).message}`, { cause: error, details: { path: params.path } });
    }
    this.#load(bytes);
    return { onnx: bytes };
  }

  override setState(state: unknown, codec: EstimatorCodec): this {
    super.setState(state, codec);
    this.#load(this.fitted().onnx);
    return this;
  }

  override clone(): OnnxModel {
    return new OnnxModel({ ...this.params });
  }

  /** Labels from the label output, or the most likely class when the graph has none. */
  async predict(X: Frame): Promise<Labels> {
    const results = await this.#run(X);
    if (this.estimatorType === 'regressor') {
      const out = this.#output(results, this.params.output ?? this.#prepared?.outputs[0], 'output');
      return Float64Array.from(out.data as ArrayLike<number>);
    }
    const labelName = this.#labelOutput();
    if (labelName !== undefined) {
      const labels = this.#output(results, labelName, 'label_output').data;
      if (Array.isArray(labels)) return labels as string[];
      // int64 labels come back as BigInt64Array.
      return Float64Array.from(labels as ArrayLike<number | bigint>, (v) => Number(v));
    }
    const proba = this.#probabilities(results, X.nRows);
    const classes = this.classes;
    if (classes === undefined) throw new PldError('PLD_ERR_ESTIMATOR_ONNX', 'OnnxModel: the graph has no label output and no class labels; set `classes` or `label_output`');
    const codes = Array.from({ length: X.nRows }, (_, i) => {
      let best = 0;
      for (let c = 1; c < proba.nCols; c++) if (proba.data[i * proba.nCols + c] > proba.data[i * proba.nCols + best]) best = c;
      return best;
    });
    return Array.isArray(classes) ? codes.map((c) => classes[c]) : Float64Array.from(codes, (c) => classes[c]);
  }

  /** Class probabilities from the probability output (tensor or ZipMap), one column per class. */
  override async predictProba(X: Frame): Promise<Matrix> {
    if (this.estimatorType !== 'classifier') throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', 'OnnxModel: predictProba needs type: classifier');
    return this.#probabilities(await this.#run(X), X.nRows);
  }

  #load(bytes: Uint8Array): void {
    this.#prepared = prepareOnnx(bytes, this.params.path ?? 'ONNX model');
    this.#session = undefined;
  }

  #check(X: Frame): void {
    const prepared = this.#prepared as PreparedOnnx;
    const names = this.featureNames ?? X.columns;
    if (this.#mode() === 'tensor') {
      const width = prepared.inputs[0].dims[1];
      if (width !== null && width !== undefined && width !== names.length) {
        throw new PldError(
          'PLD_ERR_ESTIMATOR_BAD_INPUT',
          `OnnxModel: input '${prepared.inputs[0].name}' takes ${width} features but ${names.length} columns were given (${JSON.stringify(names)}); set \`features\``,
        );
      }
    } else {
      for (const input of prepared.inputs)
        if (!X.has(input.name))
          throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `OnnxModel: the graph takes input '${input.name}', which is not a column of the data`, {
            details: { field: input.name },
          });
    }
  }

  #mode(): 'tensor' | 'columns' {
    const prepared = this.#prepared as PreparedOnnx;
    const wanted = this.params.input ?? 'auto';
    if (wanted !== 'auto') return wanted;
    return prepared.inputs.length === 1 && prepared.inputs[0].dims.length === 2 && prepared.inputs[0].dims[1] !== 1 ? 'tensor' : 'columns';
  }

  async #sessionOf(): Promise<{ ort: OrtModule; session: InferenceSession }> {
    const bytes = this.#prepared?.bytes;
    if (bytes === undefined) throw new PldError('PLD_ERR_ESTIMATOR_NOT_FITTED', 'This OnnxModel is not fitted yet; call fit first (it reads the file at `path`)');
    this.#session ??= (async () => {
      // Loaded on first use: configs without ONNX models never load the native runtime.
      const ort = (await import('onnxruntime-node')) as OrtModule;
      try {
        return { ort, session: await ort.InferenceSession.create(bytes) };
      } catch (error) {
        throw new PldError('PLD_ERR_ESTIMATOR_ONNX', `OnnxModel: ONNX Runtime cannot load '${this.params.path}': ${(error as Error).message}`, { cause: error });
      }
    })();
    // A failed load is not cached, so a later call reports the error again instead of a stale promise.
    this.#session.catch(() => {
      this.#session = undefined;
    });
    return this.#session;
  }

  async #run(X: Frame): Promise<Record<string, Tensor>> {
    this.fitted();
    const { ort, session } = await this.#sessionOf();
    const prepared = this.#prepared as PreparedOnnx;
    const feeds: Record<string, Tensor> = {};
    if (this.#mode() === 'tensor') {
      const input = prepared.inputs[0];
      const columns = this.numericFeatures(X);
      const data = _array(input, X.nRows * columns.length);
      for (let j = 0; j < columns.length; j++) for (let i = 0; i < X.nRows; i++) data[i * columns.length + j] = columns[j][i];
      feeds[input.name] = new ort.Tensor(_ortType(input), data, [X.nRows, columns.length]);
    } else {
      for (const input of prepared.inputs) {
        if (!X.has(input.name))
          throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Missing feature '${input.name}' (an input of the ONNX graph)`, { details: { field: input.name } });
        const shape = input.dims.length === 1 ? [X.nRows] : [X.nRows, 1];
        if (input.elemType === DataType.STRING) {
          const column = X.column(input.name);
          feeds[input.name] = new ort.Tensor(
            'string',
            Array.from(column as ArrayLike<unknown>, (v) => (v === null ? '' : String(v))),
            shape,
          );
        } else {
          const data = _array(input, X.nRows);
          const column = X.numeric(input.name);
          for (let i = 0; i < X.nRows; i++) data[i] = column[i];
          feeds[input.name] = new ort.Tensor(_ortType(input), data, shape);
        }
      }
    }
    try {
      return (await session.run(feeds)) as Record<string, Tensor>;
    } catch (error) {
      throw new PldError('PLD_ERR_ESTIMATOR_ONNX', `OnnxModel: ONNX Runtime failed on '${this.params.path}': ${(error as Error).message}`, { cause: error });
    }
  }

  #output(results: Record<string, Tensor>, name: string | undefined, param: string): Tensor {
    const tensor = name === undefined ? undefined : results[name];
    if (tensor === undefined) {
      throw new PldError('PLD_ERR_ESTIMATOR_ONNX', `OnnxModel: ${param} '${name}' is not an output of the graph; it has ${JSON.stringify(this.#prepared?.outputs)}`, {
        details: { param },
      });
    }
    return tensor;
  }

  #labelOutput(): string | undefined {
    if (this.params.label_output) return this.params.label_output;
    const outputs = this.#prepared?.outputs ?? [];
    const proba = this.#probaOutput();
    return outputs.find((name) => name === 'label' || name === 'output_label') ?? outputs.find((name) => name !== proba);
  }

  #probaOutput(): string | undefined {
    if (this.params.proba_output) return this.params.proba_output;
    const prepared = this.#prepared as PreparedOnnx;
    return prepared.zipmapOutput ?? prepared.outputs.find((name) => /probabilit/.test(name)) ?? prepared.outputs[1];
  }

  #probabilities(results: Record<string, Tensor>, nRows: number): Matrix {
    const tensor = this.#output(results, this.#probaOutput(), 'proba_output');
    const nCols = nRows === 0 ? 0 : tensor.data.length / nRows;
    return new Matrix(nRows, nCols, Float64Array.from(tensor.data as ArrayLike<number>));
  }
}

function _ortType(input: OnnxInput): 'float32' | 'float64' {
  if (input.elemType === DataType.DOUBLE) return 'float64';
  if (input.elemType === DataType.FLOAT) return 'float32';
  throw new PldError('PLD_ERR_ESTIMATOR_ONNX', `OnnxModel: input '${input.name}' has ONNX element type ${input.elemType}; only float, double and string inputs are supported`);
}

function _array(input: OnnxInput, length: number): Float32Array | Float64Array {
  return _ortType(input) === 'float64' ? new Float64Array(length) : new Float32Array(length);
}
