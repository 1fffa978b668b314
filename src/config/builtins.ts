import { builtinLoaders } from '../data/loaders/builtins.js';
import { builtinEstimators } from '../estimators/builtins.js';
import { builtinEvaluation } from '../evaluation/builtins.js';
import { builtinPersisters } from '../persistence/builtins.js';
import { builtinHooks } from '../server/hooks/builtins.js';
import { builtinServices } from '../service/builtins.js';
import { builtinSinks } from '../server/prediction-log/builtins.js';
import { Registry } from './registry.js';

/**
 * A registry holding every built-in component: loaders, estimators, persisters, services.
 * @example
 * const registry = createRegistry();
 * registry.get('palladium.persistence.File')?.name; // 'File'
 */
export function createRegistry(): Registry {
  const registry = new Registry();
  // biome-ignore format: one list per line keeps parallel additions from conflicting
  const definitions = [
    ...builtinLoaders,
    ...builtinEstimators,
    ...builtinPersisters,
    ...builtinServices,
    ...builtinHooks,
    ...builtinEvaluation,
    ...builtinSinks,
  ];
  for (const definition of definitions) registry.register(definition);
  return registry;
}
