import type onnxProto from 'onnx-proto';
import type { Labels } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import type { TreeArrays } from '../tree/tree-arrays.js';
import { TREE_LEAF } from '../tree/tree-arrays.js';
import { AttributeType as A, CLASSES_KEY, DataType, FEATURE_NAMES_KEY, onnx } from './proto.js';

type Node = onnxProto.onnx.INodeProto;
type Attr = onnxProto.onnx.IAttributeProto;

/** The estimators `pld export --onnx` can write, by registry name. */
export const ONNX_EXPORTABLE = [
  'DecisionTreeClassifier',
  'DecisionTreeRegressor',
  'RandomForestClassifier',
  'ExtraTreesClassifier',
  'RandomForestRegressor',
  'ExtraTreesRegressor',
  'LogisticRegression',
  'LinearRegression',
  'Ridge',
  'Lasso',
] as const;

interface StoredState {
  featureNames?: string[];
  state: Record<string, unknown>;
}

/**
 * Writes a stored model (its registry name and `getState()` state, as in the artifact) as an ONNX
 * model any ONNX runtime can serve. Input `X`: double `[rows, features]` in the order of
 * `featureNames`. Classifiers output `label` (the class labels, string or double) and `probabilities`
 * (`[rows, classes]`); regressors output `variable` (`[rows, 1]`). Trees use ai.onnx.ml
 * TreeEnsembleRegressor (opset 3) with double thresholds, so every split decides as ours does;
 * leaf values come out as float32 there (the operator's output type). Linear models are MatMul/Add
 * in double.
 * @example
 * const bytes = toOnnx(artifact.factory, artifact.state);
 */
export function toOnnx(factory: string, stored: unknown): Uint8Array {
  const { featureNames, state } = stored as StoredState;
  const names = featureNames ?? [];
  switch (factory) {
    case 'DecisionTreeClassifier':
      return _model(_forestClassifier([state as unknown as TreeArrays], state.classes as Labels), names, factory);
    case 'RandomForestClassifier':
    case 'ExtraTreesClassifier':
      return _model(_forestClassifier(state.trees as TreeArrays[], state.classes as Labels), names, factory);
    case 'DecisionTreeRegressor':
      return _model(_forestRegressor([state as unknown as TreeArrays]), names, factory);
    case 'RandomForestRegressor':
    case 'ExtraTreesRegressor':
      return _model(_forestRegressor(state.trees as TreeArrays[]), names, factory);
    case 'LogisticRegression':
      return _model(_logistic(state as unknown as LogisticState), names, factory);
    case 'LinearRegression':
    case 'Ridge':
    case 'Lasso':
      return _model(_linear(state.coef as Float64Array, state.intercept as number), names, factory);
    default:
      throw new PldError('PLD_ERR_EXPORT_ONNX_UNSUPPORTED', `pld export --onnx cannot write a ${factory}; it supports ${ONNX_EXPORTABLE.join(', ')}`, {
        details: { factory },
      });
  }
}

interface GraphParts {
  classes?: Labels;
  nodes: Node[];
  initializers: onnxProto.onnx.ITensorProto[];
  outputs: onnxProto.onnx.IValueInfoProto[];
}

function _model(parts: GraphParts, featureNames: readonly string[], factory: string): Uint8Array {
  const width = featureNames.length > 0 ? { dimValue: featureNames.length } : { dimParam: 'features' };
  const model = onnx().ModelProto.create({
    irVersion: 8,
    producerName: 'palladium-ts',
    docString: `${factory} exported by pld export --onnx`,
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    metadataProps: [
      { key: FEATURE_NAMES_KEY, value: JSON.stringify(featureNames) },
      ...(parts.classes === undefined ? [] : [{ key: CLASSES_KEY, value: JSON.stringify(Array.from(parts.classes as ArrayLike<unknown>)) }]),
    ],
    graph: {
      name: factory,
      node: parts.nodes,
      initializer: parts.initializers,
      input: [{ name: 'X', type: { tensorType: { elemType: DataType.DOUBLE, shape: { dim: [{ dimParam: 'N' }, width] } } } }],
      output: parts.outputs,
    },
  });
  return onnx().ModelProto.encode(model).finish();
}

function _forestClassifier(trees: readonly TreeArrays[], classes: Labels): GraphParts {
  const k = classes.length;
  const ensemble = _treeEnsemble(trees, k, (tree, node, push) => {
    for (let c = 0; c < k; c++) if (tree.value[node * k + c] !== 0) push(c, tree.value[node * k + c]);
  });
  return {
    classes,
    nodes: [ensemble, _node('ArgMax', ['probabilities'], ['code'], [_int('axis', 1), _int('keepdims', 0)]), _node('Gather', ['classes', 'code'], ['label'], [_int('axis', 0)])],
    initializers: [_classesTensor(classes)],
    outputs: [_output('label', Array.isArray(classes) ? DataType.STRING : DataType.DOUBLE, ['N']), _output('probabilities', DataType.FLOAT, ['N', k])],
  };
}

function _forestRegressor(trees: readonly TreeArrays[]): GraphParts {
  const ensemble = _treeEnsemble(trees, 1, (tree, node, push) => push(0, tree.value[node]), 'variable');
  return { nodes: [ensemble], initializers: [], outputs: [_output('variable', DataType.FLOAT, ['N', 1])] };
}

/** One TreeEnsembleRegressor holding every tree; AVERAGE over trees is the forest's mean. */
function _treeEnsemble(
  trees: readonly TreeArrays[],
  nTargets: number,
  leafValues: (tree: TreeArrays, node: number, push: (target: number, weight: number) => void) => void,
  output = 'probabilities',
): Node {
  const n = { tree: [] as number[], node: [] as number[], feature: [] as number[], value: [] as number[], mode: [] as Uint8Array[], yes: [] as number[], no: [] as number[] };
  const t = { tree: [] as number[], node: [] as number[], id: [] as number[], weight: [] as number[] };
  const leaf = new TextEncoder().encode('LEAF');
  const branch = new TextEncoder().encode('BRANCH_LEQ');
  trees.forEach((tree, treeId) => {
    for (let node = 0; node < tree.nodeCount; node++) {
      const isLeaf = tree.left[node] === TREE_LEAF;
      n.tree.push(treeId);
      n.node.push(node);
      n.feature.push(isLeaf ? 0 : tree.feature[node]);
      n.value.push(isLeaf ? 0 : tree.threshold[node]);
      n.mode.push(isLeaf ? leaf : branch);
      n.yes.push(isLeaf ? 0 : tree.left[node]);
      n.no.push(isLeaf ? 0 : tree.right[node]);
      if (isLeaf)
        leafValues(tree, node, (target, weight) => {
          t.tree.push(treeId);
          t.node.push(node);
          t.id.push(target);
          t.weight.push(weight);
        });
    }
  });
  return _node(
    'TreeEnsembleRegressor',
    ['X'],
    [output],
    [
      _int('n_targets', nTargets),
      _string('aggregate_function', 'AVERAGE'),
      _ints('nodes_treeids', n.tree),
      _ints('nodes_nodeids', n.node),
      _ints('nodes_featureids', n.feature),
      _doubles('nodes_values_as_tensor', n.value),
      { name: 'nodes_modes', type: A.STRINGS, strings: n.mode },
      _ints('nodes_truenodeids', n.yes),
      _ints('nodes_falsenodeids', n.no),
      _ints('target_treeids', t.tree),
      _ints('target_nodeids', t.node),
      _ints('target_ids', t.id),
      _doubles('target_weights_as_tensor', t.weight),
    ],
    'ai.onnx.ml',
  );
}

interface LogisticState {
  classes: Labels;
  coef: Float64Array;
  nRows: number;
  nFeatures: number;
  intercept: Float64Array;
}

function _logistic(s: LogisticState): GraphParts {
  if (s.classes.length < 2) throw new PldError('PLD_ERR_EXPORT_ONNX_UNSUPPORTED', 'pld export --onnx cannot write a LogisticRegression fitted on a single class');
  // W is coef transposed: [features, rows], so X·W + b gives one score column per coef row.
  const w = new Float64Array(s.nFeatures * s.nRows);
  for (let r = 0; r < s.nRows; r++) for (let f = 0; f < s.nFeatures; f++) w[f * s.nRows + r] = s.coef[r * s.nFeatures + f];
  const nodes: Node[] = [_node('MatMul', ['X', 'W'], ['XW']), _node('Add', ['XW', 'B'], ['scores'])];
  const initializers = [_tensor('W', [s.nFeatures, s.nRows], w), _tensor('B', [s.nRows], s.intercept), _classesTensor(s.classes)];
  if (s.nRows === 1) {
    // Binary: class 1 where the score is > 0, exactly as predict decides (argmax of rounded probabilities could tie).
    initializers.push(_tensor('zero', [], Float64Array.of(0)), _tensor('one', [], Float64Array.of(1)), {
      name: 'flat',
      dims: [1],
      dataType: DataType.INT64,
      int64Data: [-1],
    });
    nodes.push(
      _node('Sigmoid', ['scores'], ['p1']),
      _node('Sub', ['one', 'p1'], ['p0']),
      _node('Concat', ['p0', 'p1'], ['probabilities'], [_int('axis', 1)]),
      _node('Greater', ['scores', 'zero'], ['positive']),
      _node('Cast', ['positive'], ['code2d'], [_int('to', DataType.INT64)]),
      _node('Reshape', ['code2d', 'flat'], ['code']),
    );
  } else {
    nodes.push(_node('Softmax', ['scores'], ['probabilities'], [_int('axis', 1)]), _node('ArgMax', ['scores'], ['code'], [_int('axis', 1), _int('keepdims', 0)]));
  }
  nodes.push(_node('Gather', ['classes', 'code'], ['label'], [_int('axis', 0)]));
  return {
    classes: s.classes,
    nodes,
    initializers,
    outputs: [_output('label', Array.isArray(s.classes) ? DataType.STRING : DataType.DOUBLE, ['N']), _output('probabilities', DataType.DOUBLE, ['N', s.classes.length])],
  };
}

function _linear(coef: Float64Array, intercept: number): GraphParts {
  return {
    nodes: [_node('MatMul', ['X', 'W'], ['XW']), _node('Add', ['XW', 'B'], ['variable'])],
    initializers: [_tensor('W', [coef.length, 1], coef), _tensor('B', [1], Float64Array.of(intercept))],
    outputs: [_output('variable', DataType.DOUBLE, ['N', 1])],
  };
}

function _classesTensor(classes: Labels): onnxProto.onnx.ITensorProto {
  if (Array.isArray(classes)) return { name: 'classes', dims: [classes.length], dataType: DataType.STRING, stringData: classes.map((c) => new TextEncoder().encode(c)) };
  return _tensor('classes', [classes.length], classes);
}

function _tensor(name: string, dims: number[], values: Float64Array): onnxProto.onnx.ITensorProto {
  return { name, dims, dataType: DataType.DOUBLE, doubleData: Array.from(values) };
}

function _output(name: string, elemType: number, dims: (string | number)[]): onnxProto.onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } } };
}

function _node(opType: string, input: string[], output: string[], attribute: Attr[] = [], domain = ''): Node {
  return { opType, input, output, attribute, domain, name: output[0] };
}

function _int(name: string, i: number): Attr {
  return { name, type: A.INT, i };
}

function _ints(name: string, ints: number[]): Attr {
  return { name, type: A.INTS, ints };
}

function _string(name: string, value: string): Attr {
  return { name, type: A.STRING, s: new TextEncoder().encode(value) };
}

function _doubles(name: string, values: number[]): Attr {
  return { name, type: A.TENSOR, t: { dims: [values.length], dataType: DataType.DOUBLE, doubleData: values } };
}
