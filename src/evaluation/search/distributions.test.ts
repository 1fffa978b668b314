import { describe, expect, it } from 'vitest';
import { createRegistry, instantiate, isDistribution, LogUniform, RandInt, Uniform } from '../../index.js';

const sequence = (values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

describe('search distributions (param_distributions)', () => {
  it('draws uniform floats in [loc, loc + scale], log-uniform floats in [a, b] and ints in [low, high)', () => {
    expect([0, 0.5, 0.999].map((u) => new Uniform({ loc: 2, scale: 4 }).rvs(() => u))).toEqual([2, 4, 5.996]);
    const log = new LogUniform({ a: 0.01, b: 100 });
    expect(log.rvs(() => 0)).toBeCloseTo(0.01);
    expect(log.rvs(() => 0.5)).toBeCloseTo(1);
    const ints = new RandInt({ low: 1, high: 4 });
    expect([0, 0.34, 0.67, 0.999].map((u) => ints.rvs(sequence([u])))).toEqual([1, 2, 3, 3]);
  });

  it('are built from a config by scipy.stats names, with their defaults, and refuse empty ranges naming the key', async () => {
    const registry = createRegistry();
    const build = (value: unknown) => instantiate(value, { registry, baseDir: '.', file: 'config.json', keyPath: 'grid_search.param_distributions' });
    const dists = (await build({
      C: { __factory__: 'scipy.stats.uniform' },
      gamma: { __factory__: 'scipy.stats.reciprocal', a: 0.1, b: 10 },
      depth: { __factory__: 'scipy.stats.randint', low: 1, high: 3 },
    })) as Record<string, unknown>;
    expect(Object.values(dists).every(isDistribution)).toBe(true);
    expect(dists.C).toBeInstanceOf(Uniform);
    expect((dists.C as Uniform).params).toEqual({ loc: 0, scale: 1 });
    expect(dists.gamma).toBeInstanceOf(LogUniform);
    expect(dists.depth).toBeInstanceOf(RandInt);
    await expect(build({ gamma: { __factory__: 'loguniform', a: 10, b: 1 } })).rejects.toThrow(/param_distributions\.gamma.*a must be less than b/s);
    await expect(build({ depth: { __factory__: 'randint', low: 3, high: 3 } })).rejects.toThrow(/param_distributions\.depth.*low must be less than high/s);
    await expect(build({ C: { __factory__: 'uniform', scale: 0 } })).rejects.toThrow(/param_distributions\.C.*scale/s);
  });
});
