import type { ComponentDefinition } from '../config/registry.js';
import { ensembleEstimators } from './ensemble/builtins.js';
import { dummyEstimators } from './dummy/builtins.js';
import { linearEstimators } from './linear/builtins.js';
import { naiveBayesEstimators } from './naive-bayes/builtins.js';
import { neighborsEstimators } from './neighbors/builtins.js';
import { treeEstimators } from './tree/builtins.js';
import { preprocessingEstimators } from './preprocessing/builtins.js';
import { composeEstimators } from './compose/builtins.js';
import { onnxEstimators } from './onnx/builtins.js';
import { externalEstimators } from './external/builtins.js';
import { svmEstimators } from './svm/builtins.js';

/**
 * Every built-in estimator, family by family; each family lists its own entries in its folder's
 * `builtins.ts`, so adding a family is one import and one spread here.
 * @example
 * for (const definition of builtinEstimators) registry.register(definition);
 */
// biome-ignore format: one family per line keeps parallel additions from conflicting
export const builtinEstimators: ComponentDefinition[] = [
  ...treeEstimators,
  ...ensembleEstimators,
  ...linearEstimators,
  ...svmEstimators,
  ...neighborsEstimators,
  ...naiveBayesEstimators,
  ...dummyEstimators,
  ...preprocessingEstimators,
  ...composeEstimators,
  ...onnxEstimators,
  ...externalEstimators,
];
