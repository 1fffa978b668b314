import { Frame, type Column, type Labels, Matrix } from '../data/frame.js';
import { PldError } from '../errors.js';
import type { Params } from '../estimators/types.js';
import { type BatchingSettings, checkBatchingSettings } from './batching-settings.js';

/** What a model call returns: labels, or a probability matrix (`predict_proba`). */
export type Prediction = Labels | Matrix;

/** The one model call a batch makes: all gathered rows in one Frame, with the requests' shared params. */
export type BatchRun = (X: Frame, params: Params) => Prediction | Promise<Prediction>;

/** Called once per model call with how many requests and rows it served (the batch-size metrics). */
export type BatchObserver = (requests: number, rows: number) => void;

interface _Pending {
  readonly X: Frame;
  readonly params: Params;
  resolve(prediction: Prediction): void;
  reject(error: unknown): void;
}

/**
 * Adaptive micro-batching of one model (one version): gathers concurrent predict calls into one model
 * call while the model is busy and runs a call at once when it is idle, so a lone request never waits.
 *
 * "Busy" means a batch already ran in the current event-loop turn (an in-process model is synchronous:
 * requests that arrive while it runs are read by the next poll phase, and they form the next batch at
 * that turn's end, via `setImmediate`), or an asynchronous model call (ONNX, an external server) is in
 * flight. Queued calls are dispatched when the model becomes idle, as soon as `maxBatchSize` rows are
 * queued, or when the oldest has waited `maxBatchWaitMs`, whichever comes first.
 *
 * Each caller gets exactly its own rows back. Calls with different `params` never share a batch. When a
 * batch of several calls fails, each call is run again alone, so a row that makes the model throw fails
 * only its own request.
 * @example
 * const batcher = new MicroBatcher((X) => forest.predictProba(X), { maxBatchSize: 64, maxBatchWaitMs: 5 });
 * const proba = await batcher.predict(oneRow, {});
 */
export class MicroBatcher {
  readonly settings: BatchingSettings;
  readonly #run: BatchRun;
  readonly #observe: BatchObserver | undefined;
  #queue: _Pending[] = [];
  #queuedRows = 0;
  #queueParams: Params = {};
  #queueParamsKey = '';
  #firstQueuedAt = 0;
  #turnBusy = false;
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #endTurn = () => this.#onTurnEnd();
  readonly #timeUp = () => {
    this.#timer = undefined;
    this.#flush();
  };

  constructor(run: BatchRun, settings: BatchingSettings, observe?: BatchObserver) {
    this.settings = checkBatchingSettings(settings);
    this.#run = run;
    this.#observe = observe;
  }

  /** True while nothing is queued or running: the next call would run at once. */
  get idle(): boolean {
    return !this.#turnBusy && this.#inFlight === 0 && this.#queue.length === 0;
  }

  /**
   * Predicts `X` (one request's rows). Runs synchronously, returning the prediction or throwing, when the
   * model is idle and synchronous; otherwise returns a promise of exactly this request's rows.
   */
  predict(X: Frame, params: Params = {}): Prediction | Promise<Prediction> {
    const rows = X.nRows;
    const { maxBatchSize, maxBatchWaitMs } = this.settings;
    // A request as large as a whole batch gains nothing from waiting for company.
    if (rows >= maxBatchSize || (this.#queue.length === 0 && !this.#turnBusy && this.#inFlight === 0)) return this.#runAlone(X, params);
    const key = _paramsKey(params);
    if (this.#queue.length > 0 && (key !== this.#queueParamsKey || this.#queuedRows + rows > maxBatchSize)) this.#flush();
    const promise = new Promise<Prediction>((resolve, reject) => this.#queue.push({ X, params, resolve, reject }));
    this.#queuedRows += rows;
    if (this.#queue.length === 1) {
      this.#queueParams = params;
      this.#queueParamsKey = key;
      this.#firstQueuedAt = performance.now();
      // Turn ends are already scheduled while the turn is busy; an async call in flight needs a deadline.
      if (this.#inFlight > 0 && !this.#turnBusy) this.#timer = setTimeout(this.#timeUp, maxBatchWaitMs);
    }
    if (this.#queuedRows >= maxBatchSize || performance.now() - this.#firstQueuedAt >= maxBatchWaitMs) this.#flush();
    return promise;
  }

  #runAlone(X: Frame, params: Params): Prediction | Promise<Prediction> {
    this.#markTurnBusy();
    this.#observe?.(1, X.nRows);
    const result = this.#run(X, params);
    if (!(result instanceof Promise)) return result;
    this.#inFlight++;
    return result.finally(() => this.#settled());
  }

  /** Dispatches the queue as one model call. */
  #flush(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const batch = this.#queue;
    if (batch.length === 0) return;
    const params = this.#queueParams;
    const rows = this.#queuedRows;
    this.#queue = [];
    this.#queuedRows = 0;
    this.#markTurnBusy();
    this.#observe?.(batch.length, rows);
    let result: Prediction | Promise<Prediction>;
    try {
      result = this.#run(batch.length === 1 ? batch[0].X : _concat(batch), params);
    } catch (error) {
      this.#isolate(batch, error);
      return;
    }
    if (!(result instanceof Promise)) {
      this.#deliver(batch, result, rows);
      return;
    }
    this.#inFlight++;
    result.then(
      (prediction) => {
        this.#deliver(batch, prediction, rows);
        this.#settled();
      },
      (error) => {
        this.#isolate(batch, error);
        this.#settled();
      },
    );
  }

  #deliver(batch: readonly _Pending[], prediction: Prediction, rows: number): void {
    const got = 'nCols' in prediction ? prediction.nRows : prediction.length;
    if (got !== rows) {
      const error = new PldError('PLD_ERR_BATCH_RESULT_ROWS', `The model returned ${got} predictions for a batch of ${rows} rows, so they cannot be handed back to each request`, {
        details: { rows, predictions: got },
      });
      for (const pending of batch) pending.reject(error);
      return;
    }
    if (batch.length === 1) {
      batch[0].resolve(prediction);
      return;
    }
    let start = 0;
    for (const pending of batch) {
      const end = start + pending.X.nRows;
      pending.resolve(_rowsOf(prediction, start, end));
      start = end;
    }
  }

  /** A failed batch of several requests: each runs again alone, so one bad request fails only itself. */
  #isolate(batch: readonly _Pending[], error: unknown): void {
    if (batch.length === 1) {
      batch[0].reject(error);
      return;
    }
    for (const pending of batch) {
      try {
        this.#observe?.(1, pending.X.nRows);
        const result = this.#run(pending.X, pending.params);
        if (result instanceof Promise) result.then(pending.resolve, pending.reject);
        else pending.resolve(result);
      } catch (alone) {
        pending.reject(alone);
      }
    }
  }

  #settled(): void {
    this.#inFlight--;
    if (this.#inFlight === 0 && !this.#turnBusy) this.#flush();
  }

  #markTurnBusy(): void {
    if (this.#turnBusy) return;
    this.#turnBusy = true;
    setImmediate(this.#endTurn);
  }

  #onTurnEnd(): void {
    this.#turnBusy = false;
    if (this.#queue.length === 0) return;
    if (this.#inFlight === 0) this.#flush();
    else if (this.#timer === undefined) {
      // Queued behind an async call that is still running: wait for it, but not past the deadline.
      const left = this.settings.maxBatchWaitMs - (performance.now() - this.#firstQueuedAt);
      if (left <= 0) this.#flush();
      else this.#timer = setTimeout(this.#timeUp, left);
    }
  }
}

/** Rows `[start, end)` of a prediction; views, not copies. */
function _rowsOf(prediction: Prediction, start: number, end: number): Prediction {
  if ('nCols' in prediction) return new Matrix(end - start, prediction.nCols, prediction.data.subarray(start * prediction.nCols, end * prediction.nCols));
  return prediction instanceof Float64Array ? prediction.subarray(start, end) : prediction.slice(start, end);
}

/**
 * The requests' Frames stacked in order. They come from one service's mapping, so they share columns;
 * a custom `samplesFromData` that breaks this throws here, and the requests then run one by one.
 */
function _concat(batch: readonly _Pending[]): Frame {
  const first = batch[0].X;
  let total = 0;
  for (const pending of batch) total += pending.X.nRows;
  const columns = new Map<string, Column>();
  for (const [name, column] of first.entries()) {
    const numeric = column instanceof Float64Array;
    const out: Column = numeric ? new Float64Array(total) : new Array<string | null>(total);
    let at = 0;
    for (const pending of batch) {
      const part = pending.X.column(name);
      if (pending.X.nColumns !== first.nColumns || numeric !== part instanceof Float64Array) throw new Error(`requests disagree on the columns or type of '${name}'`);
      if (numeric) (out as Float64Array).set(part as Float64Array, at);
      else for (let i = 0; i < part.length; i++) out[at + i] = part[i] as never;
      at += part.length;
    }
    columns.set(name, out);
  }
  return new Frame(columns);
}

function _paramsKey(params: Params): string {
  for (const _ in params) return JSON.stringify(params);
  return '';
}
