import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toOnnx } from '../../src/estimators/onnx/export.js';
import { OnnxModel } from '../../src/estimators/onnx/onnx-model.js';
import { DecisionTreeClassifier } from '../../src/estimators/tree/decision-tree-classifier.js';
import type { EstimatorCase } from './estimator.js';
import { classificationData } from './data.js';

/**
 * OnnxModel in the estimator contract: a tree fitted on the contract's classification data, written as
 * ONNX to a temp file. An ONNX model is pre-fitted (fit reads the file and learns nothing), so the
 * checks that need fit to learn from y are skipped with that reason.
 */
export async function onnxContractCase(): Promise<EstimatorCase> {
  const { X, y } = classificationData();
  const tree = await new DecisionTreeClassifier({ random_state: 0 }).fit(
    X,
    Array.from(y, (v) => `class-${'abc'[v]}`),
  );
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'pld-onnx-contract-')), 'model.onnx');
  writeFileSync(file, toOnnx('DecisionTreeClassifier', tree.getState(undefined as never)));
  const preFitted = 'an ONNX model is pre-fitted: fit reads the file and ignores y';
  return {
    make: (params) => new OnnxModel({ path: file, ...params }),
    config: { path: file },
    altParam: { input: 'tensor' },
    skip: {
      refit: preFitted,
      labels: `${preFitted}; labels are the ones written in the graph`,
      nan: 'fit does not read the values of X; NaN goes to the graph at predict time, which may impute it',
    },
  };
}
