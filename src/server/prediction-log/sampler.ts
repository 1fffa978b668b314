/** Decides, per request, whether it is logged. */
export type Sampler = () => boolean;

/**
 * A sampler keeping each request with probability `rate` (0 = none, 1 = every request), independently,
 * so any subset of the traffic is an unbiased sample. `random` is injectable for tests.
 * @example
 * const sampled = createSampler(0.1);
 * if (sampled()) log(request);
 */
export function createSampler(rate: number, random: () => number = Math.random): Sampler {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`sample_rate must be between 0 and 1, got ${rate}`);
  if (rate === 0) return () => false;
  if (rate === 1) return () => true;
  return () => random() < rate;
}
