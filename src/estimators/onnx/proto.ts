import { createRequire } from 'node:module';
import type onnxProto from 'onnx-proto';
import { PldError } from '../../errors.js';

const _require = createRequire(import.meta.url);
let _onnx: typeof onnxProto.onnx | undefined;

/**
 * The generated protobuf types of the ONNX format (onnx-proto's `onnx` namespace), loaded on first
 * use: the registry imports this module, and every `pld` command would otherwise pay for protobufjs.
 * @example
 * const bytes = onnx().ModelProto.encode(model).finish();
 */
export function onnx(): typeof onnxProto.onnx {
  _onnx ??= (_require('onnx-proto') as typeof onnxProto).onnx;
  return _onnx;
}

/** ONNX tensor element types used here (`TensorProto.DataType` numbers, fixed by the format). */
export const DataType = { FLOAT: 1, INT64: 7, STRING: 8, DOUBLE: 11 } as const;

/** ONNX attribute kinds used here (`AttributeProto.AttributeType` numbers, fixed by the format). */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** Metadata key holding the feature names (JSON list) of a model written by `pld export --onnx`. */
export const FEATURE_NAMES_KEY = 'palladium.feature_names';

/** Metadata key holding the class labels (JSON list, probability column order) of an exported classifier. */
export const CLASSES_KEY = 'palladium.classes';

/** What the runtime needs to know about one graph input. */
export interface OnnxInput {
  readonly name: string;
  /** `TensorProto.DataType` number of the elements (FLOAT = 1, DOUBLE = 11, INT64 = 7...). */
  readonly elemType: number;
  /** Fixed size of each dimension, or null where it is symbolic (the batch dimension). */
  readonly dims: readonly (number | null)[];
}

/** A model made ready for onnxruntime-node, with what was learnt from its graph. */
export interface PreparedOnnx {
  readonly bytes: Uint8Array;
  readonly inputs: readonly OnnxInput[];
  readonly outputs: readonly string[];
  /** The graph output that held a ZipMap (ai.onnx.ml) before it was cut off, now the tensor fed to it. */
  readonly zipmapOutput?: string;
  /** Class labels found in the graph (ZipMap or a classifier node's `classlabels_*`), in probability column order. */
  readonly classes?: string[] | number[];
  /** Feature names the producer recorded under {@link FEATURE_NAMES_KEY}, if any. */
  readonly featureNames?: string[];
}

/**
 * Reads an ONNX model and makes it runnable by onnxruntime-node, which cannot return non-tensor
 * outputs: a ZipMap (seq(map) probabilities, the scikit-learn converters' default) is cut off, and its
 * input tensor becomes the graph output under the ZipMap's output name, with the class labels kept.
 * @example
 * const prepared = prepareOnnx(readFileSync('model.onnx'), 'model.onnx');
 */
export function prepareOnnx(bytes: Uint8Array, source: string): PreparedOnnx {
  const proto = onnx();
  let model: onnxProto.onnx.ModelProto;
  try {
    model = proto.ModelProto.decode(bytes);
  } catch (error) {
    throw new PldError('PLD_ERR_ESTIMATOR_ONNX', `${source} is not an ONNX model: ${(error as Error).message}`, { cause: error });
  }
  const graph = model.graph;
  if (graph === null || graph === undefined) throw new PldError('PLD_ERR_ESTIMATOR_ONNX', `${source} has no graph`);
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs: OnnxInput[] = (graph.input ?? [])
    .filter((input) => !initializers.has(input.name ?? ''))
    .map((input) => ({
      name: input.name ?? '',
      elemType: input.type?.tensorType?.elemType ?? 0,
      dims: (input.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue === null || d.dimValue === undefined ? null : toNumber(d.dimValue) || null)),
    }));
  let classes = _classesOf(graph.node ?? []);
  let zipmapOutput: string | undefined;
  const zipmap = (graph.node ?? []).find((node) => node.opType === 'ZipMap' && (graph.output ?? []).some((o) => o.name === node.output?.[0]));
  if (zipmap !== undefined) {
    zipmapOutput = zipmap.output?.[0] ?? '';
    const fed = zipmap.input?.[0] ?? '';
    classes = _labelsAttribute(zipmap) ?? classes;
    // Rename the ZipMap's input to its output name, so callers address the probabilities as they were named.
    graph.node = (graph.node ?? []).filter((node) => node !== zipmap);
    for (const node of graph.node) node.output = (node.output ?? []).map((name) => (name === fed ? zipmapOutput : name) as string);
    for (const node of graph.node) node.input = (node.input ?? []).map((name) => (name === fed ? zipmapOutput : name) as string);
    const at = (graph.output ?? []).findIndex((o) => o.name === zipmapOutput);
    (graph.output as onnxProto.onnx.IValueInfoProto[])[at] = proto.ValueInfoProto.create({ name: zipmapOutput, type: { tensorType: { elemType: DataType.FLOAT } } });
    bytes = proto.ModelProto.encode(model).finish();
  }
  const outputs = (graph.output ?? []).map((o) => o.name ?? '');
  const featureNames = _jsonList(model.metadataProps ?? [], FEATURE_NAMES_KEY) as string[] | undefined;
  classes ??= _jsonList(model.metadataProps ?? [], CLASSES_KEY);
  return {
    bytes,
    inputs,
    outputs,
    ...(zipmapOutput === undefined ? {} : { zipmapOutput }),
    ...(classes === undefined ? {} : { classes }),
    ...(featureNames === undefined ? {} : { featureNames }),
  };
}

/** A protobuf int64 (a number, or a Long object when the long package is loaded) as a JS number. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(String(value));
}

function _classesOf(nodes: readonly onnxProto.onnx.INodeProto[]): string[] | number[] | undefined {
  for (const node of nodes) {
    const labels = _labelsAttribute(node);
    if (labels !== undefined) return labels;
  }
  return undefined;
}

function _labelsAttribute(node: onnxProto.onnx.INodeProto): string[] | number[] | undefined {
  for (const attribute of node.attribute ?? []) {
    if (attribute.name === 'classlabels_strings' && (attribute.strings ?? []).length > 0) return (attribute.strings ?? []).map((s) => Buffer.from(s).toString('utf8'));
    if ((attribute.name === 'classlabels_int64s' || attribute.name === 'classlabels_ints') && (attribute.ints ?? []).length > 0) return (attribute.ints ?? []).map(toNumber);
  }
  return undefined;
}

function _jsonList(props: readonly onnxProto.onnx.IStringStringEntryProto[], key: string): string[] | number[] | undefined {
  const value = props.find((p) => p.key === key)?.value;
  if (typeof value !== 'string') return undefined;
  try {
    const names = JSON.parse(value) as unknown;
    if (!Array.isArray(names) || names.length === 0) return undefined;
    if (names.every((n) => typeof n === 'string')) return names as string[];
    return names.every((n) => typeof n === 'number') ? (names as number[]) : undefined;
  } catch {
    return undefined;
  }
}
