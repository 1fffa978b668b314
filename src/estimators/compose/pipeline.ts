import { z } from 'zod';
import type { Frame, Labels, Matrix } from '../../data/frame.js';
import { PldError } from '../../errors.js';
import { accuracy, r2 } from '../scores.js';
import { formatZodError } from '../../internal/zod-format.js';
import type { Estimator, EstimatorCodec, EstimatorType, Params, Transformer } from '../types.js';
import { isTransformer } from '../types.js';
import { type Component, checkPartNames, componentSchema, deepParams, isComponent, routeParams } from './nested-params.js';

/**
 * One pipeline step: a transformer (or, last, any estimator), `'passthrough'` or `null` (skipped).
 * @example
 * const step: PipelineStep = 'passthrough';
 */
export type PipelineStep = Component | 'passthrough' | null;

/**
 * Parameters of {@link Pipeline}: scikit-learn's `steps`, `memory` and `verbose` (the last two are
 * accepted for config compatibility and ignored: there is no fit cache and logging is the CLI's).
 * @example
 * pipelineParams.parse({ steps: [['scaler', new StandardScaler()], ['clf', new DecisionTreeClassifier()]] });
 */
export const pipelineParams = z
  .object({
    steps: z
      .array(z.tuple([z.string({ error: 'a step name must be a string' }), componentSchema(['passthrough']).nullable()]), {
        error: 'must be a list of [name, estimator] pairs',
      })
      .min(1, { error: 'must list at least one [name, estimator] step' }),
    memory: z.string({ error: 'must be null (fit caching is not supported; the value is ignored)' }).nullable().default(null),
    verbose: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict();

/** Parsed {@link pipelineParams}. @example const p: PipelineParams = pipelineParams.parse({ steps }); */
export interface PipelineParams {
  steps: [string, PipelineStep][];
  memory: string | null;
  verbose: boolean;
}

const _OWN_KEYS = ['steps', 'memory', 'verbose'] as const;

/**
 * A chain of transformers ending in an estimator (`sklearn.pipeline.Pipeline`): fit runs
 * `fitTransform` through the steps and fits the last one; predict, predictProba and score transform
 * and ask the last step. Params are scikit-learn's deep params (`clf__max_depth`), so grid search
 * tunes inner steps through `setParams` on a `clone()`. Steps are fitted in place, as in scikit-learn.
 * @example
 * const pipe = new Pipeline({ steps: [['scale', new StandardScaler()], ['clf', new DecisionTreeClassifier()]] });
 * await pipe.setParams({ clf__max_depth: 3 }).fit(X, y);
 */
export class Pipeline implements Estimator {
  protected params: Partial<PipelineParams>;
  #featureNames: readonly string[] | undefined;

  constructor(params: Partial<PipelineParams> = {}) {
    this.params = { ...params };
  }

  /** The type of the last step; a pipeline ending in a transformer (or 'passthrough') is a transformer. */
  get estimatorType(): EstimatorType {
    const last = this.#last();
    return isComponent(last) ? last.estimatorType : 'transformer';
  }

  /** The last step's classes (classifiers, after fit). */
  get classes(): Labels | undefined {
    const last = this.#last();
    return isComponent(last) ? (last as Estimator).classes : undefined;
  }

  /** Columns seen in fit. */
  get featureNames(): readonly string[] | undefined {
    return this.#featureNames;
  }

  /** The steps as given (scikit-learn's `steps`); read-only by contract. */
  get steps(): readonly (readonly [string, PipelineStep])[] {
    return this.params.steps ?? [];
  }

  /** Step by name (scikit-learn's `named_steps`). */
  namedStep(name: string): PipelineStep | undefined {
    return this.steps.find(([stepName]) => stepName === name)?.[1];
  }

  /** Present when the last step has predictProba, as scikit-learn's `available_if`. */
  get predictProba(): ((X: Frame) => Promise<Matrix>) | undefined {
    const last = this.#last();
    if (!isComponent(last) || typeof (last as Estimator).predictProba !== 'function') return undefined;
    return async (X: Frame) => (last as Required<Estimator>).predictProba(await this.#transformHead(X));
  }

  async fit(X: Frame, y?: Labels): Promise<this> {
    const steps = this.#validated();
    let Xt = X;
    for (const [, step] of steps.slice(0, -1)) if (isComponent(step)) Xt = await (step as Transformer).fitTransform(Xt, y);
    const last = steps[steps.length - 1][1];
    if (isComponent(last)) await last.fit(Xt, y);
    this.#featureNames = [...X.columns];
    return this;
  }

  async predict(X: Frame, params?: Params): Promise<Labels> {
    const last = this.#last();
    if (!isComponent(last) || typeof (last as Estimator).predict !== 'function') {
      throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Pipeline: the last step '${this.#lastName()}' cannot predict; it is a transformer`);
    }
    return (last as Estimator).predict(await this.#transformHead(X), params);
  }

  /** The last step's score on the transformed X, else accuracy (classifiers) or R² (regressors). */
  async score(X: Frame, y: Labels): Promise<number> {
    const last = this.#last() as Estimator;
    if (typeof last?.score === 'function') return last.score(await this.#transformHead(X), y);
    const predicted = await this.predict(X);
    return this.estimatorType === 'classifier' ? accuracy(y, predicted) : r2(y, predicted);
  }

  /** Transforms through every step; the last step must be a transformer or 'passthrough'. */
  async transform(X: Frame): Promise<Frame> {
    const last = this.#last();
    if (isComponent(last) && !isTransformer(last)) {
      throw new PldError('PLD_ERR_ESTIMATOR_BAD_INPUT', `Pipeline: the last step '${this.#lastName()}' is a ${last.estimatorType}, not a transformer`);
    }
    const Xt = await this.#transformHead(X);
    return isTransformer(last) ? last.transform(Xt) : Xt;
  }

  async fitTransform(X: Frame, y?: Labels): Promise<Frame> {
    await this.fit(X, y);
    return this.transform(X);
  }

  /** Output names of the last transformer step (or the input names when every step passes through). */
  getFeatureNamesOut(): string[] {
    this.#fittedOrThrow();
    for (const [, step] of [...this.steps].reverse()) if (isTransformer(step)) return step.getFeatureNamesOut();
    return [...(this.#featureNames ?? [])];
  }

  /** scikit-learn's `get_params(deep)`: `steps`, `memory`, `verbose`, and when deep each step and its `name__param`s. */
  getParams(deep = true): Params {
    const own: Params = { steps: this.steps.map(([name, step]) => [name, step]), memory: this.params.memory ?? null, verbose: this.params.verbose ?? false };
    return deep ? { ...own, ...deepParams(this.steps) } : own;
  }

  /** Sets own params, replaces steps by name (`clf: tree`) or routes `clf__max_depth` to the step. */
  setParams(params: Params): this {
    if ('steps' in params) this.params = { ...this.params, steps: params.steps as [string, PipelineStep][] };
    const rest = Object.fromEntries(Object.entries(params).filter(([key]) => key !== 'steps'));
    const routed = routeParams(
      rest,
      _OWN_KEYS,
      this.steps.map(([name]) => name),
      'Pipeline',
    );
    this.params = { ...this.params, ...(routed.own as Partial<PipelineParams>) };
    if (routed.replace.size > 0) this.params.steps = this.steps.map(([name, step]) => [name, (routed.replace.has(name) ? routed.replace.get(name) : step) as PipelineStep]);
    for (const [name, sub] of routed.nested) {
      const step = this.namedStep(name);
      if (!isComponent(step))
        throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `Pipeline: step '${name}' is ${JSON.stringify(step)} and has no params`, { details: { params: [name] } });
      step.setParams(sub);
    }
    return this;
  }

  /** An unfitted copy whose steps are clones: setting its params never touches this pipeline. */
  clone(): Pipeline {
    return new Pipeline({ ...this.params, steps: this.steps.map(([name, step]) => [name, isComponent(step) ? (step.clone() as Component) : step]) });
  }

  isFitted(): boolean {
    const last = this.#last();
    return this.#featureNames !== undefined && (!isComponent(last) || last.isFitted());
  }

  getState(codec: EstimatorCodec): unknown {
    this.#fittedOrThrow();
    return { featureNames: this.#featureNames, steps: this.steps.map(([, step]) => (isComponent(step) && step.isFitted() ? step.getState(codec) : null)) };
  }

  setState(state: unknown, codec: EstimatorCodec): this {
    const saved = state as { featureNames: string[]; steps: unknown[] };
    this.steps.forEach(([, step], i) => {
      if (isComponent(step) && saved.steps[i] !== null && saved.steps[i] !== undefined) step.setState(saved.steps[i], codec);
    });
    this.#featureNames = saved.featureNames;
    return this;
  }

  #last(): PipelineStep | undefined {
    const steps = this.steps;
    return steps.length === 0 ? undefined : steps[steps.length - 1][1];
  }

  #lastName(): string {
    return this.steps[this.steps.length - 1]?.[0] ?? '';
  }

  #fittedOrThrow(): void {
    if (!this.isFitted()) throw new PldError('PLD_ERR_ESTIMATOR_NOT_FITTED', 'This Pipeline is not fitted yet; call fit first');
  }

  async #transformHead(X: Frame): Promise<Frame> {
    this.#fittedOrThrow();
    let Xt = X;
    for (const [, step] of this.steps.slice(0, -1)) if (isComponent(step)) Xt = await (step as Transformer).transform(Xt);
    return Xt;
  }

  #validated(): [string, PipelineStep][] {
    const parsed = pipelineParams.safeParse(this.params);
    if (!parsed.success) throw new PldError('PLD_ERR_ESTIMATOR_INVALID_PARAM', `Pipeline: ${formatZodError(parsed.error, '', this.params)}`, { details: { params: ['steps'] } });
    const steps = parsed.data.steps as [string, PipelineStep][];
    checkPartNames(
      steps.map(([name]) => name),
      _OWN_KEYS,
      'Pipeline',
      'steps',
    );
    steps.slice(0, -1).forEach(([name, step]) => {
      if (isComponent(step) && !isTransformer(step)) {
        throw new PldError(
          'PLD_ERR_ESTIMATOR_INVALID_PARAM',
          `Pipeline: steps: '${name}' is a ${step.estimatorType}; every step but the last must be a transformer or 'passthrough'`,
          { details: { params: ['steps'] } },
        );
      }
    });
    return steps;
  }
}
