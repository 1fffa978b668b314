import { describe, expect, it } from 'vitest';
import { PredictionLogQueue } from './queue.js';
import type { PredictionRecord } from './record.js';
import { createSampler } from './sampler.js';
import type { PredictionSink } from './sink.js';

function record(i: number): PredictionRecord {
  return { ts: 't', request_id: `r${i}`, model: 'default', version: 1, entry_point: '/predict', latency_ms: 1, output: 'predict', inputs: [{ x: i }], outputs: [i] };
}

/** A sink whose writes wait until released, to play a sink that falls behind. */
function gatedSink(): PredictionSink & { written: PredictionRecord[]; batches: number[]; release(): void; closed: boolean } {
  let open: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const sink = {
    describe: 'gated',
    written: [] as PredictionRecord[],
    batches: [] as number[],
    closed: false,
    release() {
      open();
      gate = Promise.resolve();
    },
    async write(records: readonly PredictionRecord[]) {
      await gate;
      sink.batches.push(records.length);
      sink.written.push(...records);
    },
    async close() {
      sink.closed = true;
    },
  };
  return sink;
}

describe('createSampler', () => {
  it('keeps every request at 1, none at 0, and a share close to the rate in between', () => {
    expect(Array.from({ length: 100 }, createSampler(1)).every(Boolean)).toBe(true);
    expect(Array.from({ length: 100 }, createSampler(0)).some(Boolean)).toBe(false);
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const sampled = createSampler(0.1, random);
    const kept = Array.from({ length: 20_000 }, sampled).filter(Boolean).length;
    expect(kept / 20_000).toBeGreaterThan(0.09);
    expect(kept / 20_000).toBeLessThan(0.11);
  });

  it('compares the draw against the rate', () => {
    const draws = [0.05, 0.5, 0.0999, 0.1];
    const sampled = createSampler(0.1, () => draws.shift() as number);
    expect([sampled(), sampled(), sampled(), sampled()]).toEqual([true, false, true, false]);
  });

  it('refuses a rate outside 0..1', () => {
    expect(() => createSampler(1.5)).toThrow(/between 0 and 1/);
    expect(() => createSampler(Number.NaN)).toThrow(/between 0 and 1/);
  });
});

describe('PredictionLogQueue', () => {
  it('never holds more than maxQueue entries: the rest are dropped and counted while the sink is stuck', async () => {
    const sink = gatedSink();
    const queue = new PredictionLogQueue(sink, (i: number) => record(i), { maxQueue: 10, batchSize: 4 });
    const accepted = Array.from({ length: 30 }, (_, i) => queue.push(i));
    expect(accepted.filter(Boolean)).toHaveLength(10);
    expect(queue.counts.dropped).toBe(20);
    sink.release();
    await queue.flush();
    expect(sink.written.map((r) => r.request_id)).toEqual(Array.from({ length: 10 }, (_, i) => `r${i}`));
    expect(sink.batches).toEqual([4, 4, 2]);
    expect(queue.counts).toEqual({ written: 10, dropped: 20, failed: 0 });
  });

  it('push returns at once, before the sink wrote anything', () => {
    const sink = gatedSink();
    const queue = new PredictionLogQueue(sink, (i: number) => record(i), { maxQueue: 100, batchSize: 10 });
    queue.push(1);
    expect(sink.written).toHaveLength(0);
    expect(queue.length).toBe(1);
  });

  it('counts a failed batch and a record that cannot be built as failed, and keeps going', async () => {
    let fail = true;
    const written: PredictionRecord[] = [];
    const errors: number[] = [];
    const sink: PredictionSink = {
      describe: 'flaky',
      write: async (records) => {
        if (fail) {
          fail = false;
          throw new Error('disk full');
        }
        written.push(...records);
      },
      close: async () => undefined,
    };
    const toRecord = (i: number) => {
      if (i === 3) throw new Error('bad entry');
      return record(i);
    };
    const queue = new PredictionLogQueue(sink, toRecord, { maxQueue: 100, batchSize: 2, onError: (_, n) => errors.push(n) });
    for (let i = 0; i < 6; i++) queue.push(i);
    await queue.flush();
    expect(queue.counts).toEqual({ written: 3, dropped: 0, failed: 3 });
    expect(written.map((r) => r.request_id)).toEqual(['r2', 'r4', 'r5']);
    expect(errors).toEqual([2, 1]);
  });

  it('close writes what is queued, closes the sink and drops later entries', async () => {
    const sink = gatedSink();
    sink.release();
    const queue = new PredictionLogQueue(sink, (i: number) => record(i), { maxQueue: 100, batchSize: 50 });
    for (let i = 0; i < 5; i++) queue.push(i);
    await queue.close();
    expect(sink.written).toHaveLength(5);
    expect(sink.closed).toBe(true);
    expect(queue.push(9)).toBe(false);
    expect(queue.counts.dropped).toBe(1);
  });
});
