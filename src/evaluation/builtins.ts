import type { ComponentDefinition } from '../config/registry.js';
import { builtinScorers } from './scorers.js';
import { builtinDistributions } from './search/distributions.js';
import { builtinSearches } from './search/options.js';
import { builtinSplitters } from './splitters/builtins.js';

/**
 * Every evaluation component for the registry: scorers (kind `scorer`), splitters (kind `splitter`),
 * scipy-style distributions and the two search specs (kind `other`).
 * @example
 * for (const definition of builtinEvaluation) registry.register(definition);
 */
export const builtinEvaluation: ComponentDefinition[] = [...builtinScorers, ...builtinSplitters, ...builtinDistributions, ...builtinSearches];
