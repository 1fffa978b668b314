import type { ComponentDefinition } from '../config/registry.js';
import { treeEstimators } from './tree/builtins.js';
import { preprocessingEstimators } from './preprocessing/builtins.js';
import { composeEstimators } from './compose/builtins.js';

/**
 * Every built-in estimator, family by family; each family lists its own entries in its folder's
 * `builtins.ts`, so adding a family is one import and one spread here.
 * @example
 * for (const definition of builtinEstimators) registry.register(definition);
 */
export const builtinEstimators: ComponentDefinition[] = [...treeEstimators, ...preprocessingEstimators, ...composeEstimators];
