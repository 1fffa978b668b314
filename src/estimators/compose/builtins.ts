import type { ComponentDefinition } from '../../config/registry.js';
import { ColumnTransformer, type ColumnTransformerParams, columnTransformerParams } from './column-transformer.js';
import { Pipeline, type PipelineParams, pipelineParams } from './pipeline.js';

/**
 * The composite estimators, for the config registry. In a config their parts are `{"__factory__": ...}`
 * objects, which the loader builds first, so `create` receives instances.
 * @example
 * for (const definition of composeEstimators) registry.register(definition);
 */
export const composeEstimators: ComponentDefinition[] = [
  {
    name: 'Pipeline',
    aliases: ['sklearn.pipeline.Pipeline'],
    kind: 'estimator',
    params: pipelineParams,
    ctor: Pipeline,
    create: (params: PipelineParams) => new Pipeline(params),
    summary: 'Transformers chained before a final estimator, with scikit-learn deep params (clf__max_depth).',
  } satisfies ComponentDefinition<Pipeline, PipelineParams> as ComponentDefinition,
  {
    name: 'ColumnTransformer',
    aliases: ['sklearn.compose.ColumnTransformer'],
    kind: 'estimator',
    params: columnTransformerParams,
    ctor: ColumnTransformer,
    create: (params: ColumnTransformerParams) => new ColumnTransformer(params),
    summary: 'Applies a transformer per group of columns and concatenates the outputs.',
  } satisfies ComponentDefinition<ColumnTransformer, ColumnTransformerParams> as ComponentDefinition,
];
