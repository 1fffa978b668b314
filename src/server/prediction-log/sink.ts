import type { PredictionRecord } from './record.js';

/**
 * Where logged predictions go. `write` takes a batch and may be slow: the server never awaits it on a
 * request, a queue in front of it does (see `PredictionLogQueue`). `read` is optional: sinks that can
 * give their records back are what `pld replay` reads when no log file is named.
 * @example
 * const sink: PredictionSink = { describe: 'memory', write: async (batch) => void all.push(...batch), close: async () => {} };
 */
export interface PredictionSink {
  /** Where the records go, for messages (`/var/log/predictions.jsonl`, `sqlite:/data/log.db table prediction_log`). */
  readonly describe: string;
  /** Stores the records in order; a rejection fails the whole batch. */
  write(records: readonly PredictionRecord[]): Promise<void>;
  /** Releases files and connections after the last write. */
  close(): Promise<void>;
  /** The stored records, oldest first, at most `limit`. */
  read?(options?: { readonly limit?: number }): AsyncIterable<PredictionRecord>;
}

/** Type guard for a {@link PredictionSink}, used when the config names the sink by `__factory__`. */
export function isPredictionSink(value: unknown): value is PredictionSink {
  const sink = value as PredictionSink | null;
  return typeof sink === 'object' && sink !== null && typeof sink.write === 'function' && typeof sink.close === 'function';
}
