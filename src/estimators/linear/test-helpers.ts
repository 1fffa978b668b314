import { expect } from 'vitest';
import { configFromObject, createRegistry, type Estimator, Frame, isEstimator } from '../../index.js';
import { PldError } from '../../errors.js';

/**
 * Test helper: asserts that `run` throws a PldError with `code` whose message mentions `mention`.
 * @example
 * await expectPldError(() => model.fit(X, y), 'PLD_ERR_ESTIMATOR_INVALID_PARAM', 'C');
 */
export async function expectPldError(run: () => unknown, code: string, mention: string): Promise<void> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(PldError);
    expect((error as PldError).code).toBe(code);
    expect((error as PldError).message).toContain(mention);
    return;
  }
  throw new Error(`expected ${code}`);
}

/**
 * Test helper: asserts every entry of `actual` is within `tol` of `expected`.
 * @example
 * expectClose(model.coef, [1, 2], 1e-9);
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i] - expected[i]) > tol) throw new Error(`entry ${i}: ${actual[i]} is not within ${tol} of ${expected[i]}`);
  }
}

/**
 * Test helper: a Frame of numeric columns named x0, x1, ...
 * @example
 * frameOf([[1, 2], [3, 4]]); // columns x0 = [1, 2], x1 = [3, 4]
 */
export function frameOf(columns: readonly (readonly number[] | Float64Array)[]): Frame {
  return new Frame(Object.fromEntries(columns.map((col, j) => [`x${j}`, Float64Array.from(col)])));
}

/**
 * Test helper: builds `{ model: spec }` through the config registry, as a config file would.
 * @example
 * const model = await fromConfig({ __factory__: 'Ridge', alpha: 2 });
 */
export async function fromConfig(spec: Record<string, unknown>): Promise<Estimator> {
  const config = configFromObject({ model: spec }, createRegistry());
  return (await config.component('model', 'estimator', isEstimator)) as Estimator;
}
