import type { PredictionRecord } from './record.js';
import type { PredictionSink } from './sink.js';

/** Limits of a {@link PredictionLogQueue}. */
export interface QueueOptions {
  /** Entries waiting for the sink; past it new entries are dropped (and counted), never waited for. */
  readonly maxQueue: number;
  /** Most records handed to the sink in one `write`. */
  readonly batchSize: number;
  /** Told about each failed batch (the server logs it, rate-limited). */
  readonly onError?: (error: unknown, records: number) => void;
}

/** What became of the entries pushed so far. */
export interface QueueCounts {
  /** Stored by the sink. */
  written: number;
  /** Refused because the queue was full (the sink fell behind) or closed. */
  dropped: number;
  /** Lost to a sink error or a record that could not be built. */
  failed: number;
}

/**
 * A bounded queue between the request path and a slow sink. `push` is synchronous and O(1): it never
 * waits for I/O, and when `maxQueue` entries are waiting it drops the entry and counts it. Entries
 * become records (`toRecord`, the costly part: conversion and copying) only when a batch is written,
 * after the responses went out. One batch is in flight at a time, so records keep their order.
 * @example
 * const queue = new PredictionLogQueue(sink, (entry) => entry.record, { maxQueue: 10_000, batchSize: 500 });
 * queue.push(entry);
 * await queue.close(); // writes what is queued, then closes the sink
 */
export class PredictionLogQueue<E> {
  readonly counts: QueueCounts = { written: 0, dropped: 0, failed: 0 };
  readonly #sink: PredictionSink;
  readonly #toRecord: (entry: E) => PredictionRecord;
  readonly #options: QueueOptions;
  #entries: E[] = [];
  #draining: Promise<void> | undefined;
  #closed = false;

  constructor(sink: PredictionSink, toRecord: (entry: E) => PredictionRecord, options: QueueOptions) {
    this.#sink = sink;
    this.#toRecord = toRecord;
    this.#options = options;
  }

  /** Entries waiting (not counting the batch being written). */
  get length(): number {
    return this.#entries.length;
  }

  /** Queues an entry; `false` when it was dropped because the queue is full or closed. */
  push(entry: E): boolean {
    if (this.#closed || this.#entries.length >= this.#options.maxQueue) {
      this.counts.dropped += 1;
      return false;
    }
    this.#entries.push(entry);
    this.#draining ??= this.#drain();
    return true;
  }

  /** Resolves once every entry queued so far was written (or failed). */
  async flush(): Promise<void> {
    while (this.#draining !== undefined) await this.#draining;
  }

  /** Stops taking entries, writes the queued ones, then closes the sink. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    await this.#sink.close();
  }

  async #drain(): Promise<void> {
    // Let the response that queued the entry go out first; more entries gather meanwhile.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.#entries.length > 0) {
      const batch = this.#entries.splice(0, this.#options.batchSize);
      const records: PredictionRecord[] = [];
      for (const entry of batch) {
        try {
          records.push(this.#toRecord(entry));
        } catch (error) {
          this.counts.failed += 1;
          this.#options.onError?.(error, 1);
        }
      }
      if (records.length === 0) continue;
      try {
        await this.#sink.write(records);
        this.counts.written += records.length;
      } catch (error) {
        this.counts.failed += records.length;
        this.#options.onError?.(error, records.length);
      }
    }
    this.#draining = undefined;
  }
}
