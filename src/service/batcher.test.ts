import { describe, expect, it } from 'vitest';
import { Frame, Matrix } from '../data/frame.js';
import type { Params } from '../estimators/types.js';
import { PldError } from '../errors.js';
import { MicroBatcher, type Prediction } from './batcher.js';
import { batchingSettings, checkBatchingSettings } from './batching-settings.js';

const settings = { maxBatchSize: 64, maxBatchWaitMs: 50 };
const rows = (...xs: number[]) => new Frame({ x: Float64Array.from(xs) });
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A model that doubles `x`, recording the rows of every call. */
function recording(transform: (X: Frame, params: Params) => Prediction = (X) => X.numeric('x').map((v) => v * 2)) {
  const calls: number[][] = [];
  const run = (X: Frame, params: Params) => {
    calls.push(Array.from(X.numeric('x')));
    return transform(X, params);
  };
  return { calls, run };
}

describe('MicroBatcher', () => {
  it('runs a lone request at once and synchronously: no wait when the model is idle', async () => {
    const model = recording();
    const batcher = new MicroBatcher(model.run, settings);
    const first = batcher.predict(rows(1));
    expect(first).toEqual(Float64Array.of(2));
    expect(model.calls).toEqual([[1]]);
    await turn();
    await turn();
    expect(batcher.idle).toBe(true);
    // Idle again in a later turn: the next one runs at once too.
    expect(batcher.predict(rows(3))).toEqual(Float64Array.of(6));
    expect(model.calls).toEqual([[1], [3]]);
  });

  it('gathers requests that arrive while the model is busy into one call, and hands each its own rows', async () => {
    const model = recording();
    const batcher = new MicroBatcher(model.run, settings);
    batcher.predict(rows(1));
    const queued = [batcher.predict(rows(2)), batcher.predict(rows(3, 4)), batcher.predict(rows(5))];
    for (const answer of queued) expect(answer).toBeInstanceOf(Promise);
    expect(model.calls).toEqual([[1]]);
    expect(await Promise.all(queued)).toEqual([Float64Array.of(4), Float64Array.of(6, 8), Float64Array.of(10)]);
    expect(model.calls).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('hands each caller its rows of a probability matrix (predict_proba) and of string labels', async () => {
    const proba = new MicroBatcher((X) => new Matrix(X.nRows, 2, Float64Array.from(Array.from(X.numeric('x')).flatMap((v) => [v, 1 - v]))), settings);
    proba.predict(rows(0));
    const [a, b] = (await Promise.all([proba.predict(rows(0.25, 0.5)), proba.predict(rows(0.75))])) as Matrix[];
    expect([a.nRows, a.nCols, Array.from(a.data)]).toEqual([2, 2, [0.25, 0.75, 0.5, 0.5]]);
    expect(b.toArrays()).toEqual([[0.75, 0.25]]);

    const labels = new MicroBatcher((X) => Array.from(X.numeric('x'), (v) => `class-${v}`), settings);
    labels.predict(rows(0));
    expect(await Promise.all([labels.predict(rows(1)), labels.predict(rows(2, 3))])).toEqual([['class-1'], ['class-2', 'class-3']]);
  });

  it('never puts more than max_batch_size rows in one call; a request that large runs alone', async () => {
    const model = recording();
    const observed: [number, number][] = [];
    const batcher = new MicroBatcher(model.run, { maxBatchSize: 3, maxBatchWaitMs: 50 }, (requests, count) => observed.push([requests, count]));
    batcher.predict(rows(0));
    const answers = [1, 2, 3, 4, 5, 6, 7].map((x) => batcher.predict(rows(x)));
    const big = batcher.predict(rows(8, 9, 10));
    const two = batcher.predict(rows(11, 12));
    await Promise.all([...answers, big, two]);
    for (const call of model.calls) expect(call.length).toBeLessThanOrEqual(3);
    expect(model.calls).toEqual([[0], [1, 2, 3], [4, 5, 6], [8, 9, 10], [7, 11, 12]]);
    expect(await big).toEqual(Float64Array.of(16, 18, 20));
    expect(observed).toEqual([
      [1, 1],
      [3, 3],
      [3, 3],
      [1, 3],
      [2, 3],
    ]);
  });

  it('dispatches a queue older than max_batch_wait_ms at once, without waiting for the turn to end', () => {
    const model = recording();
    const batcher = new MicroBatcher(model.run, { maxBatchSize: 64, maxBatchWaitMs: 5 });
    batcher.predict(rows(1));
    void batcher.predict(rows(2));
    const until = performance.now() + 10;
    while (performance.now() < until);
    void batcher.predict(rows(3));
    // Still in the same turn: the oldest waited 10 ms > 5 ms, so the queue went to the model already.
    expect(model.calls).toEqual([[1], [2, 3]]);
  });

  it('with max_batch_wait_ms 0 never holds a request back', () => {
    const model = recording();
    const batcher = new MicroBatcher(model.run, { maxBatchSize: 64, maxBatchWaitMs: 0 });
    batcher.predict(rows(1));
    void batcher.predict(rows(2));
    void batcher.predict(rows(3));
    expect(model.calls).toEqual([[1], [2], [3]]);
  });

  it('queues behind an asynchronous model call in flight and sends the queue when it settles', async () => {
    const calls: number[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const batcher = new MicroBatcher(
      async (X) => {
        calls.push(Array.from(X.numeric('x')));
        await gate;
        return X.numeric('x').map((v) => -v);
      },
      { maxBatchSize: 64, maxBatchWaitMs: 10_000 },
    );
    const first = batcher.predict(rows(1));
    await turn();
    await turn();
    // Later turns, but the first call is still running: these wait for it.
    const later = [batcher.predict(rows(2)), batcher.predict(rows(3))];
    await turn();
    expect(calls).toEqual([[1]]);
    release();
    expect(await first).toEqual(Float64Array.of(-1));
    expect(await Promise.all(later)).toEqual([Float64Array.of(-2), Float64Array.of(-3)]);
    expect(calls).toEqual([[1], [2, 3]]);
  });

  it('sends the queue after max_batch_wait_ms even while an asynchronous call is still running', async () => {
    const calls: number[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const batcher = new MicroBatcher(
      async (X) => {
        calls.push(Array.from(X.numeric('x')));
        if (calls.length === 1) await gate;
        return X.numeric('x');
      },
      { maxBatchSize: 64, maxBatchWaitMs: 20 },
    );
    const first = batcher.predict(rows(1));
    await turn();
    const later = batcher.predict(rows(2));
    expect(await later).toEqual(Float64Array.of(2));
    expect(calls).toEqual([[1], [2]]);
    release();
    await first;
  });

  it('isolates a failing request: the batch is retried one by one, only the bad one fails', async () => {
    const model = recording((X) => {
      if (X.numeric('x').some((v) => v < 0)) throw new PldError('PLD_ERR_PREDICT_FAILED', 'negative x');
      return X.numeric('x');
    });
    const batcher = new MicroBatcher(model.run, settings);
    batcher.predict(rows(0));
    const [good, bad, other] = await Promise.allSettled([batcher.predict(rows(1)), batcher.predict(rows(-1)), batcher.predict(rows(2))]);
    expect(good).toEqual({ status: 'fulfilled', value: Float64Array.of(1) });
    expect(bad.status === 'rejected' && bad.reason.message).toBe('negative x');
    expect(other).toEqual({ status: 'fulfilled', value: Float64Array.of(2) });
    expect(model.calls).toEqual([[0], [1, -1, 2], [1], [-1], [2]]);
  });

  it('isolates a failing request of an asynchronous model too', async () => {
    const batcher = new MicroBatcher(async (X) => {
      if (X.numeric('x').some((v) => v < 0)) throw new Error('negative x');
      return X.numeric('x');
    }, settings);
    const first = batcher.predict(rows(0));
    const [good, bad] = await Promise.allSettled([batcher.predict(rows(1)), batcher.predict(rows(-1))]);
    expect(good).toEqual({ status: 'fulfilled', value: Float64Array.of(1) });
    expect(bad.status).toBe('rejected');
    await first;
  });

  it('never mixes requests with different params in one call', async () => {
    const seen: [number[], Params][] = [];
    const batcher = new MicroBatcher((X, params) => {
      seen.push([Array.from(X.numeric('x')), params]);
      return X.numeric('x');
    }, settings);
    batcher.predict(rows(0));
    await Promise.all([batcher.predict(rows(1), { t: 1 }), batcher.predict(rows(2), { t: 1 }), batcher.predict(rows(3), { t: 2 }), batcher.predict(rows(4))]);
    expect(seen).toEqual([
      [[0], {}],
      [[1, 2], { t: 1 }],
      [[3], { t: 2 }],
      [[4], {}],
    ]);
  });

  it('fails every request of a batch with PLD_ERR_BATCH_RESULT_ROWS when the model returns the wrong number of rows', async () => {
    const batcher = new MicroBatcher((X) => (X.nRows === 1 ? Float64Array.of(1) : Float64Array.of(1, 2, 3)), settings);
    batcher.predict(rows(0));
    const results = await Promise.allSettled([batcher.predict(rows(1)), batcher.predict(rows(2, 3, 4))]);
    for (const result of results) expect(result.status === 'rejected' && result.reason.code).toBe('PLD_ERR_BATCH_RESULT_ROWS');
  });

  it('runs requests one by one when their Frames do not share columns (a custom samplesFromData)', async () => {
    const calls: number[] = [];
    const batcher = new MicroBatcher((X) => {
      calls.push(X.nRows);
      return new Float64Array(X.nRows).fill(X.nColumns);
    }, settings);
    batcher.predict(rows(0));
    const answers = await Promise.all([batcher.predict(rows(1)), batcher.predict(new Frame({ x: Float64Array.of(2), y: Float64Array.of(3) }))]);
    expect(answers).toEqual([Float64Array.of(1), Float64Array.of(2)]);
    expect(calls).toEqual([1, 1, 1]);
  });

  it('stacks text columns as well as numeric ones', async () => {
    const batcher = new MicroBatcher((X) => (X.column('name') as string[]).map((name, i) => `${name}:${X.numeric('x')[i]}`), settings);
    const frame = (name: string, x: number) => new Frame({ name: [name], x: Float64Array.of(x) });
    batcher.predict(frame('a', 0));
    expect(await Promise.all([batcher.predict(frame('b', 1)), batcher.predict(frame('c', 2))])).toEqual([['b:1'], ['c:2']]);
  });
});

describe('batching settings', () => {
  it('rejects out-of-range settings with PLD_ERR_BATCH_INVALID_SETTINGS naming the setting', () => {
    expect(() => new MicroBatcher(() => Float64Array.of(), { maxBatchSize: 0, maxBatchWaitMs: 5 })).toThrow(/maxBatchSize \(max_batch_size\) must be an integer >= 1, got 0/);
    expect(() => checkBatchingSettings({ maxBatchSize: 8, maxBatchWaitMs: -1 })).toThrow(
      expect.objectContaining({ code: 'PLD_ERR_BATCH_INVALID_SETTINGS', message: expect.stringContaining('max_batch_wait_ms') }),
    );
  });

  it('is off by default; a model entry overrides the top level key by key', () => {
    expect(batchingSettings(undefined)).toBeUndefined();
    expect(batchingSettings(true)).toEqual({ maxBatchSize: 64, maxBatchWaitMs: 5 });
    expect(batchingSettings({ max_batch_size: 16 }, { max_batch_wait_ms: 1 })).toEqual({ maxBatchSize: 16, maxBatchWaitMs: 1 });
    expect(batchingSettings({ enabled: true, max_batch_size: 16 }, false)).toBeUndefined();
    expect(batchingSettings({ enabled: false, max_batch_size: 16 }, { enabled: true })).toEqual({ maxBatchSize: 16, maxBatchWaitMs: 5 });
  });
});
