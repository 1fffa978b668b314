import type { Logger } from '../../logging.js';
import type { LoadedModel } from '../../persistence/model.js';
import type { PredictInput, PredictResponse, PredictService } from '../../service/predict-service.js';
import type { InferResponse } from '../oip/model.js';
import { type LogEntry, toRecord } from './entries.js';
import { PredictionLogQueue, type QueueCounts } from './queue.js';
import { createSampler, type Sampler } from './sampler.js';
import type { PredictionSink } from './sink.js';

/** Requests carrying this header are not logged: `pld replay --url` sends it, so a replay never logs itself. */
export const REPLAY_HEADER = 'x-pld-replay';

/** Options of a {@link PredictionLog}. */
export interface PredictionLogOptions {
  readonly sink: PredictionSink;
  /** Share of requests logged, 0 to 1. */
  readonly sampleRate: number;
  /** Entries waiting for the sink before new ones are dropped. */
  readonly queueSize: number;
  /** Records per sink write. */
  readonly batchSize: number;
  /** Where sink failures are reported (at most one line per `errorIntervalMs`). */
  readonly log?: Logger;
  readonly errorIntervalMs?: number;
  /** For tests: the sampler's random source. */
  readonly random?: () => number;
}

/** What the predict route knows about one sampled request. */
export interface PredictLogContext {
  readonly model: string;
  readonly requestId: string;
  readonly service: PredictService;
  readonly input: PredictInput;
  /** `performance.now()` when the request reached the route, from {@link PredictionLog.sample}. */
  readonly started: number;
}

/** What the OIP infer route knows about one sampled request. */
export interface InferLogContext {
  readonly model: string;
  readonly requestId: string;
  readonly entryPoint: string;
  readonly service: PredictService;
  readonly body: unknown;
  readonly started: number;
}

/**
 * Opt-in, sampled prediction logging. A route asks {@link sample} once per request (one random draw;
 * nothing else happens for requests that are not sampled) and hands sampled answers to
 * {@link observePredict} or {@link recordInfer}; these only queue references. Conversion, JSON and I/O
 * happen in the queue's background writes, so the response never waits for the sink; when the sink falls
 * behind, entries are dropped and counted ({@link counts}, `/metrics`).
 * @example
 * const started = predictionLog.sample();
 * const response = service.handle(model, input);
 * if (started !== undefined) predictionLog.observePredict(response, model, { model: 'default', requestId, service, input, started });
 */
export class PredictionLog {
  readonly sink: PredictionSink;
  readonly #sampler: Sampler;
  readonly #queue: PredictionLogQueue<LogEntry>;

  constructor(options: PredictionLogOptions) {
    this.sink = options.sink;
    this.#sampler = createSampler(options.sampleRate, options.random);
    const interval = options.errorIntervalMs ?? 10_000;
    let lastError = Number.NEGATIVE_INFINITY;
    let unreported = 0;
    this.#queue = new PredictionLogQueue(options.sink, toRecord, {
      maxQueue: options.queueSize,
      batchSize: options.batchSize,
      onError: (error, records) => {
        unreported += records;
        const now = Date.now();
        if (now - lastError < interval) return;
        lastError = now;
        options.log?.warn(`PLD_ERR_PREDLOG_SINK_FAILED: could not write ${unreported} prediction record(s) to ${options.sink.describe}: ${(error as Error)?.message ?? error}`);
        unreported = 0;
      },
    });
  }

  /** Written, dropped and failed records so far. */
  get counts(): Readonly<QueueCounts> {
    return this.#queue.counts;
  }

  /** Records waiting for the sink. */
  get queued(): number {
    return this.#queue.length;
  }

  /** `performance.now()` when this request is to be logged, else `undefined`; never for replayed requests. */
  sample(headers?: Readonly<Record<string, unknown>>): number | undefined {
    if (!this.#sampler() || headers?.[REPLAY_HEADER] !== undefined) return undefined;
    return performance.now();
  }

  /** Queues a `/predict` answer once it resolves, if it is a success; returns `response` unchanged. */
  observePredict<R extends PredictResponse | Promise<PredictResponse>>(response: R, loaded: LoadedModel, context: PredictLogContext): R {
    if (response instanceof Promise) {
      void response.then(
        (resolved) => this.#predicted(resolved, loaded, context),
        () => undefined,
      );
    } else this.#predicted(response as PredictResponse, loaded, context);
    return response;
  }

  /** Queues a successful OIP inference. */
  recordInfer(response: InferResponse, loaded: LoadedModel, context: InferLogContext): void {
    const { model, requestId, entryPoint, service, body, started } = context;
    this.#queue.push({ kind: 'infer', model, requestId, entryPoint, service, loaded, answeredAt: Date.now(), latencyMs: performance.now() - started, body, response });
  }

  /** Resolves once everything queued so far is written (or failed). */
  flush(): Promise<void> {
    return this.#queue.flush();
  }

  /** Writes what is queued and closes the sink (graceful shutdown). */
  close(): Promise<void> {
    return this.#queue.close();
  }

  #predicted(response: PredictResponse, loaded: LoadedModel, context: PredictLogContext): void {
    if (response.status !== 200) return;
    const { model, requestId, service, input, started } = context;
    this.#queue.push({
      kind: 'predict',
      model,
      requestId,
      entryPoint: service.entryPoint,
      service,
      loaded,
      answeredAt: Date.now(),
      latencyMs: performance.now() - started,
      input,
      result: response.body.result,
    });
  }
}
