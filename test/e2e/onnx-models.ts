import onnxProto from 'onnx-proto';

/** ONNX graphs built in code for the e2e tests (no binary fixtures), shared by onnx.test.ts and multi-model.test.ts. */
const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;

/** True when onnxruntime-node loads on this machine (its native binding is optional). */
export async function onnxAvailable(): Promise<boolean> {
  try {
    await import('onnxruntime-node');
    return true;
  } catch {
    return false;
  }
}

export const valueInfo = (name: string, elemType: number, dims: (string | number)[]) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
});

/** One input per column ([N,1] each), concatenated, then MatMul + Add: 0.5·sepal length − 0.25·sepal width + 1. */
export function regressorOnnx(): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'per-column-regressor',
      node: [
        { opType: 'Concat', input: ['sepal length', 'sepal width'], output: ['x'], attribute: [{ name: 'axis', type: A.INT, i: 1 }] },
        { opType: 'MatMul', input: ['x', 'W'], output: ['xw'] },
        { opType: 'Add', input: ['xw', 'B'], output: ['variable'] },
      ],
      initializer: [
        { name: 'W', dims: [2, 1], dataType: T.FLOAT, floatData: [0.5, -0.25] },
        { name: 'B', dims: [1], dataType: T.FLOAT, floatData: [1] },
      ],
      input: [valueInfo('sepal length', T.FLOAT, ['N', 1]), valueInfo('sepal width', T.FLOAT, ['N', 1])],
      output: [valueInfo('variable', T.FLOAT, ['N', 1])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
