import { builtinLoaders } from '../data/loaders/builtins.js';
import { builtinEstimators } from '../estimators/builtins.js';
import { builtinScorers } from '../evaluation/scorers.js';
import { builtinSplitters } from '../evaluation/splitters/builtins.js';
import { builtinDistributions } from '../evaluation/search/distributions.js';
import { builtinSearches } from '../evaluation/search/options.js';
import { builtinPersisters } from '../persistence/builtins.js';
import { builtinServices } from '../service/builtins.js';
import { Registry } from './registry.js';

/**
 * A registry holding every built-in component: loaders, estimators, persisters, services.
 * @example
 * const registry = createRegistry();
 * registry.get('palladium.persistence.File')?.name; // 'File'
 */
export function createRegistry(): Registry {
  const registry = new Registry();
  for (const definition of [...builtinLoaders, ...builtinEstimators, ...builtinPersisters, ...builtinServices, ...builtinScorers, ...builtinSplitters, ...builtinDistributions, ...builtinSearches]) registry.register(definition);
  return registry;
}
