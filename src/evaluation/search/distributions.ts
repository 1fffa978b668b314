import { z } from 'zod';
import type { ComponentDefinition } from '../../config/registry.js';

/**
 * A distribution to sample a hyper-parameter from, as scipy.stats' frozen distributions are used by
 * `RandomizedSearchCV` (`rvs`).
 * @example
 * const d = new Uniform({ loc: 0, scale: 2 }); d.rvs(Math.random); // in [0, 2]
 */
export interface Distribution {
  readonly name: string;
  rvs(random: () => number): number;
}

/**
 * True for a {@link Distribution}.
 * @example
 * isDistribution(new RandInt({ low: 1, high: 5 })); // true
 */
export function isDistribution(value: unknown): value is Distribution {
  return typeof value === 'object' && value !== null && typeof (value as Distribution).rvs === 'function';
}

const uniformParams = z.object({ loc: z.number().default(0), scale: z.number().positive().default(1) }).strict();
const logUniformParams = z.object({ a: z.number().positive(), b: z.number().positive() }).strict();
const randIntParams = z.object({ low: z.int(), high: z.int() }).strict();

/**
 * scipy's `uniform(loc, scale)`: floats in `[loc, loc + scale]`.
 * @example
 * new Uniform({ loc: 0.1, scale: 0.4 }); // samples in [0.1, 0.5]
 */
export class Uniform implements Distribution {
  readonly name = 'uniform';
  constructor(readonly params: z.output<typeof uniformParams>) {}
  rvs(random: () => number): number {
    return this.params.loc + random() * this.params.scale;
  }
}

/**
 * scipy's `loguniform(a, b)` (alias `reciprocal`): floats in `[a, b]` whose logarithm is uniform.
 * @example
 * new LogUniform({ a: 1e-4, b: 1 }); // as likely in [1e-4, 1e-3] as in [0.1, 1]
 */
export class LogUniform implements Distribution {
  readonly name = 'loguniform';
  constructor(readonly params: z.output<typeof logUniformParams>) {}
  rvs(random: () => number): number {
    const { a, b } = this.params;
    return Math.exp(Math.log(a) + random() * (Math.log(b) - Math.log(a)));
  }
}

/**
 * scipy's `randint(low, high)`: integers in `[low, high)`.
 * @example
 * new RandInt({ low: 1, high: 4 }); // 1, 2 or 3
 */
export class RandInt implements Distribution {
  readonly name = 'randint';
  constructor(readonly params: z.output<typeof randIntParams>) {}
  rvs(random: () => number): number {
    return this.params.low + Math.floor(random() * (this.params.high - this.params.low));
  }
}

/**
 * The distributions as registry entries (kind `other`), with scipy.stats aliases:
 * `{"__factory__": "scipy.stats.loguniform", "a": 0.001, "b": 10}`.
 * @example
 * for (const definition of builtinDistributions) registry.register(definition);
 */
export const builtinDistributions: ComponentDefinition[] = [
  {
    name: 'uniform',
    aliases: ['scipy.stats.uniform'],
    kind: 'other',
    params: uniformParams,
    ctor: Uniform,
    create: (p) => new Uniform(p),
    summary: 'Floats in [loc, loc + scale].',
  },
  {
    name: 'loguniform',
    aliases: ['scipy.stats.loguniform', 'scipy.stats.reciprocal'],
    kind: 'other',
    params: logUniformParams.refine((p) => p.a < p.b, { message: 'a must be less than b' }),
    ctor: LogUniform,
    create: (p) => new LogUniform(p),
    summary: 'Floats in [a, b], uniform in log scale.',
  },
  {
    name: 'randint',
    aliases: ['scipy.stats.randint'],
    kind: 'other',
    params: randIntParams.refine((p) => p.low < p.high, { message: 'low must be less than high' }),
    ctor: RandInt,
    create: (p) => new RandInt(p),
    summary: 'Integers in [low, high).',
  },
];
