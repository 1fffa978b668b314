import { describe, expect, it } from 'vitest';
import { PldError } from '../../errors.js';
import { EmptyDatasetLoader, InMemoryLoader, inMemoryLoaderParams } from './memory.js';

function failure(run: () => unknown): PldError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PldError);
    return error as PldError;
  }
  throw new Error('expected a PldError');
}

describe('InMemoryLoader', () => {
  it('builds typed columns and splits off the target', async () => {
    const loader = new InMemoryLoader({ data: { x: [1, null, 3], s: ['2', '2.5', null], c: ['a', 1, null], label: ['p', 'q', 'p'] }, target_column: 'label' });
    const { X, y } = await loader.load();
    expect(X.columns).toEqual(['x', 's', 'c']);
    expect(Array.from(X.numeric('x'))).toEqual([1, Number.NaN, 3]);
    expect(Array.from(X.numeric('s'))).toEqual([2, 2.5, Number.NaN]);
    expect(X.column('c')).toEqual(['a', '1', null]);
    expect(y).toEqual(['p', 'q', 'p']);
    expect(loader.describe()).toEqual({ rows: 3, columns: 3 });
  });

  it('gives a numeric target as a Float64Array and no y without a target', async () => {
    expect((await new InMemoryLoader({ data: { x: [1], t: [0] }, target_column: 't' }).load()).y).toBeInstanceOf(Float64Array);
    expect((await new InMemoryLoader({ data: { x: [1] } }).load()).y).toBeUndefined();
  });

  it('rejects columns of different lengths, unknown targets and missing target values', () => {
    const ctx = { keyPath: 'dataset_loader_test' };
    const uneven = failure(() => new InMemoryLoader({ data: { a: [1, 2], b: [1] } }, ctx));
    expect(uneven.code).toBe('PLD_ERR_CONFIG_INVALID_PARAM');
    expect(uneven.message).toContain('dataset_loader_test.data.b');
    const unknown = failure(() => new InMemoryLoader({ data: { a: [1] }, target_column: 'y' }, ctx));
    expect(unknown.code).toBe('PLD_ERR_DATA_COLUMN_NOT_FOUND');
    expect(unknown.message).toContain('["a"]');
    const missing = failure(() => new InMemoryLoader({ data: { a: [1, 2], y: ['x', null] }, target_column: 'y' }, ctx));
    expect(missing.code).toBe('PLD_ERR_DATA_PARSE');
    expect(missing.message).toContain('dataset_loader_test.data.y[1]');
  });

  it('has a strict schema', () => {
    expect(inMemoryLoaderParams.safeParse({ data: {}, extra: 1 }).success).toBe(false);
  });
});

describe('EmptyDatasetLoader', () => {
  it('loads no rows and no y', async () => {
    const { X, y } = await new EmptyDatasetLoader().load();
    expect(X.nRows).toBe(0);
    expect(X.nColumns).toBe(0);
    expect(y).toBeUndefined();
    expect(EmptyDatasetLoader.params.safeParse({ path: 'x' }).success).toBe(false);
  });
});
