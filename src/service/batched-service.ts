import type { Estimator } from '../estimators/types.js';
import { type BatchObserver, MicroBatcher, type Prediction } from './batcher.js';
import type { BatchingSettings } from './batching-settings.js';
import { type PredictInput, type PredictResponse, PredictService, type ServedModel } from './predict-service.js';

interface _Entry {
  readonly estimator: Estimator;
  readonly batcher: MicroBatcher;
}

/** Idle batchers of versions no longer served are dropped once a service holds more than this many. */
const _MAX_IDLE_BATCHERS = 8;

/**
 * A PredictService with adaptive micro-batching: each request is converted on its own
 * (`samplesFromData`, `paramsFromData`, so a bad request fails alone), concurrent requests share one
 * `predict` call (see {@link MicroBatcher}), and each gets its own rows through
 * `responseFromPrediction`. The steps are the service's own, so a subclass that overrides a step keeps
 * its behaviour. There is one batcher per model name and version (and per loaded copy of it): a batch
 * never mixes versions, and a hot swap lets the old version's batch finish on the old model.
 * @example
 * const batched = new BatchedService(service, 'default', { maxBatchSize: 64, maxBatchWaitMs: 5 });
 * const response = await batched.handle(model, { kind: 'single', sample: { x: '1' }, query: {} });
 */
export class BatchedService {
  readonly #batchers = new Map<string, _Entry>();
  #last: _Entry | undefined;

  constructor(
    readonly service: PredictService,
    readonly modelName: string,
    readonly settings: BatchingSettings,
    readonly observe?: BatchObserver,
  ) {}

  /**
   * Whether `service` can be batched: it must run the standard steps. A service that replaces `handle`
   * itself (or a duck-typed one without the steps) would be bypassed, so it is served unbatched.
   * @example
   * if (BatchedService.supports(service)) route.handle = new BatchedService(service, 'default', settings);
   */
  static supports(service: PredictService): boolean {
    return (
      service instanceof PredictService &&
      service.handle === PredictService.prototype.handle &&
      typeof service.samplesFromData === 'function' &&
      typeof service.predict === 'function'
    );
  }

  /** Like {@link PredictService.handle}: never throws; synchronous when the model is idle and synchronous. */
  handle(model: ServedModel, input: PredictInput): PredictResponse | Promise<PredictResponse> {
    const service = this.service;
    const single = input.kind === 'single';
    let prediction: Prediction | Promise<Prediction>;
    try {
      const samples = service.samplesFromData(model, input);
      const params = service.paramsFromData(model, input);
      prediction = this.#batcherOf(model).predict(samples, params);
    } catch (error) {
      return service.responseFromError(error);
    }
    if (!(prediction instanceof Promise)) return service.responseFromPrediction(prediction, single, model);
    return prediction.then(
      (resolved) => service.responseFromPrediction(resolved, single, model),
      (error) => service.responseFromError(error),
    );
  }

  #batcherOf(model: ServedModel): MicroBatcher {
    const last = this.#last;
    if (last !== undefined && last.estimator === model.estimator) return last.batcher;
    const key = `${this.modelName}@${model.metadata.version}`;
    let entry = this.#batchers.get(key);
    // The same version loaded again (a reload) is another object: its batches stay apart from the old one's.
    if (entry === undefined || entry.estimator !== model.estimator) {
      entry = { estimator: model.estimator, batcher: new MicroBatcher((X, params) => this.service.predict(model, X, params), this.settings, this.observe) };
      this.#batchers.set(key, entry);
      this.#dropIdle(key);
    }
    this.#last = entry;
    return entry.batcher;
  }

  /** Forgets idle batchers of other versions, so serving many versions over time does not grow the map. */
  #dropIdle(keep: string): void {
    if (this.#batchers.size <= _MAX_IDLE_BATCHERS) return;
    for (const [key, entry] of this.#batchers) if (key !== keep && entry.batcher.idle) this.#batchers.delete(key);
  }
}
