import type { z } from 'zod';
import { PldError } from '../errors.js';

/** What a component is; keys such as `model` or `model_persister` check that they got the right kind. */
export type ComponentKind = 'estimator' | 'loader' | 'persister' | 'service' | 'hook' | 'scorer' | 'splitter' | 'other';

/** Where a component is being created: for relative paths and for error messages. */
export interface CreateContext {
  /** Absolute folder of the config file the component came from; relative paths resolve against it. */
  readonly baseDir: string;
  /** The config file the component came from (absolute path, or `<inline>`). */
  readonly file: string;
  /** Dotted key path of the component inside the config, e.g. `dataset_loader_train`. */
  readonly keyPath: string;
  readonly registry: Registry;
}

/**
 * One registry entry: a name, its aliases, a zod schema of its parameters (with defaults) and a
 * factory. Each entry validates its parameters before anything runs, so `__factory__` configs are typed.
 * @example
 * registry.register({ name: 'Table', aliases: ['palladium.dataset.Table'], kind: 'loader', params: tableSchema,
 *   create: (params, ctx) => new TableLoader(params, ctx) });
 */
export interface ComponentDefinition<T = unknown, P = any> {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly kind: ComponentKind;
  readonly params: z.ZodType<P>;
  create(params: P, ctx: CreateContext): T | Promise<T>;
  /** The class of the instances `create` returns, so a fitted instance maps back to its registry name. */
  readonly ctor?: abstract new (
    ...args: any[]
  ) => T;
  /** One line for `pld --help` and the docs. */
  readonly summary?: string;
}

/**
 * The typed component registry: built-in short names, Palladium and scikit-learn dotted aliases.
 * One instance per config load, never a global, so tests and embedders can add their own entries.
 * @example
 * const registry = createRegistry();
 * registry.get('sklearn.tree.DecisionTreeClassifier')?.name; // 'DecisionTreeClassifier'
 */
export class Registry {
  readonly #byName = new Map<string, ComponentDefinition>();
  readonly #byCtor = new Map<unknown, ComponentDefinition>();
  readonly #canonical: ComponentDefinition[] = [];

  /** Adds an entry; a name or alias that is taken already is an error (no silent shadowing). */
  register<T, P>(definition: ComponentDefinition<T, P>): this {
    for (const name of [definition.name, ...(definition.aliases ?? [])]) {
      if (this.#byName.has(name)) throw new PldError('PLD_ERR_INTERNAL', `Registry name '${name}' is registered twice`);
      this.#byName.set(name, definition as ComponentDefinition);
    }
    if (definition.ctor) this.#byCtor.set(definition.ctor, definition as ComponentDefinition);
    this.#canonical.push(definition as ComponentDefinition);
    return this;
  }

  /** The entry for a short name or alias, if any. */
  get(name: string): ComponentDefinition | undefined {
    return this.#byName.get(name);
  }

  /** The entry whose class built this instance (walking up the prototype chain), if any. */
  definitionOf(instance: object): ComponentDefinition | undefined {
    for (let proto = Object.getPrototypeOf(instance); proto !== null; proto = Object.getPrototypeOf(proto)) {
      const found = this.#byCtor.get(proto.constructor);
      if (found) return found;
    }
    return undefined;
  }

  /** Every entry once, in registration order. */
  list(kind?: ComponentKind): readonly ComponentDefinition[] {
    return kind === undefined ? this.#canonical : this.#canonical.filter((definition) => definition.kind === kind);
  }

  /** Names close to `name`, for "did you mean" hints. */
  suggest(name: string): string[] {
    const needle = _lastSegment(name);
    const scored = [...this.#byName.keys()]
      .map((candidate) => ({ candidate, distance: _editDistance(needle, _lastSegment(candidate)) }))
      .filter(({ candidate, distance }) => distance <= Math.max(2, Math.floor(needle.length / 4)) || _lastSegment(candidate).includes(needle));
    scored.sort((a, b) => a.distance - b.distance || Number(b.candidate.includes('.') === name.includes('.')) - Number(a.candidate.includes('.') === name.includes('.')));
    return scored.map(({ candidate }) => candidate);
  }
}

function _lastSegment(name: string): string {
  return (name.split('.').pop() ?? '').toLowerCase();
}

// Levenshtein distance, for "did you mean" on misspelt factory names.
function _editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
