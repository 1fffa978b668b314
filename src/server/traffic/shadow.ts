import { Counter, type Registry } from 'prom-client';
import { toPldError } from '../../errors.js';
import type { Logger } from '../../logging.js';
import type { LoadedModel } from '../../persistence/model.js';

/**
 * How a shadow prediction ended: same answer as the one returned, another answer, a failure, or not
 * run because {@link MAX_SHADOWS_IN_FLIGHT} were still running.
 */
export type ShadowOutcome = 'agree' | 'disagree' | 'error' | 'skipped';

/** Shadow predictions one model runs at once, at most; more are skipped, so a slow challenger cannot pile up work and memory. */
export const MAX_SHADOWS_IN_FLIGHT = 64;

/** Shadow comparisons so far, by outcome. */
export type ShadowCounts = Record<ShadowOutcome, number>;

/** Counts shadow outcomes by model and challenger version (the `/metrics` counter). */
export type ShadowCounter = (model: string, version: number, outcome: ShadowOutcome) => void;

const _METRIC = 'pld_shadow_predictions_total';

/**
 * The `pld_shadow_predictions_total{model,version,outcome}` counter in `registry`, created once per
 * registry (several models share it), as a {@link ShadowCounter}.
 * @example
 * const counter = shadowCounter(metrics.registry);
 * counter('default', 2, 'agree');
 */
export function shadowCounter(registry: Registry): ShadowCounter {
  const existing = registry.getSingleMetric(_METRIC) as Counter<'model' | 'version' | 'outcome'> | undefined;
  const counter =
    existing ??
    new Counter({
      name: _METRIC,
      help: 'Shadow predictions of a challenger version, by outcome: agree or disagree with the answer returned, error, or skipped (too many in flight); never returned',
      labelNames: ['model', 'version', 'outcome'],
      registers: [registry],
    });
  return (model, version, outcome) => counter.inc({ model, version: String(version), outcome });
}

/**
 * Runs a challenger on a request's input after the answer left, off the response path, and compares
 * its answer with the one returned. Agreements are logged at DEBUG, disagreements at INFO with both
 * answers, failures at WARNING; each is counted. Nothing here can fail or slow the request: the work
 * starts on a later turn of the event loop and every error is caught.
 * @example
 * runner.run(2, challenger, { version: 1, answer: 'Iris-setosa' }, (model) => predict(model));
 */
export class ShadowRunner {
  readonly #model: string;
  readonly #log: Logger;
  readonly #counter: ShadowCounter | undefined;
  readonly #counts: ShadowCounts = { agree: 0, disagree: 0, error: 0, skipped: 0 };
  #inFlight = 0;

  constructor(options: { model: string; log: Logger; counter?: ShadowCounter }) {
    this.#model = options.model;
    this.#log = options.log;
    this.#counter = options.counter;
  }

  /** Outcomes so far in this process. */
  counts(): ShadowCounts {
    return { ...this.#counts };
  }

  /**
   * Schedules the shadow prediction: `run(challenger)` gives the challenger's answer in the same shape
   * as `primary.answer` (or throws); answers are equal when their JSON is.
   */
  run(
    version: number,
    challenger: LoadedModel | Promise<LoadedModel>,
    primary: { readonly version: number; readonly answer: unknown; readonly requestId?: string },
    run: (model: LoadedModel) => unknown,
  ): void {
    if (this.#inFlight >= MAX_SHADOWS_IN_FLIGHT) {
      this.#record(version, 'skipped');
      return;
    }
    this.#inFlight += 1;
    setImmediate(() => {
      Promise.resolve(challenger)
        .then(async (model) => ({ answer: await run(model) }))
        .then(
          ({ answer }) => this.#compare(version, primary, answer),
          (error: unknown) => this.#failed(version, primary, error),
        )
        .catch(() => undefined)
        .finally(() => {
          this.#inFlight -= 1;
        });
    });
  }

  #compare(version: number, primary: { readonly version: number; readonly answer: unknown; readonly requestId?: string }, answer: unknown): void {
    const agree = JSON.stringify(answer) === JSON.stringify(primary.answer);
    this.#record(version, agree ? 'agree' : 'disagree');
    const fields = { model: this.#model, version: primary.version, challenger: version, agree, ...(primary.requestId === undefined ? {} : { req_id: primary.requestId }) };
    if (agree) {
      this.#log.debug(`Shadow version ${version} of model '${this.#model}' agrees with version ${primary.version}${_req(primary.requestId)}`);
      return;
    }
    const message = `Shadow version ${version} of model '${this.#model}' disagrees with version ${primary.version}${_req(primary.requestId)}: ${_short(primary.answer)} vs ${_short(answer)}`;
    if (this.#log.fields !== undefined) this.#log.fields('INFO', message, { ...fields, answer: primary.answer, shadow_answer: answer });
    else this.#log.info(message);
  }

  #failed(version: number, primary: { readonly version: number; readonly requestId?: string }, error: unknown): void {
    this.#record(version, 'error');
    this.#log.warn(
      `Shadow prediction of model '${this.#model}' failed${_req(primary.requestId)} (the answer of version ${primary.version} was sent): ${error instanceof Error ? error.message : toPldError(error).message}`,
    );
  }

  #record(version: number, outcome: ShadowOutcome): void {
    this.#counts[outcome] += 1;
    try {
      this.#counter?.(this.#model, version, outcome);
    } catch {}
  }
}

function _req(id: string | undefined): string {
  return id === undefined ? '' : ` (req_id=${id})`;
}

function _short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
