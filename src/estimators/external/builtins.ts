import { resolve } from 'node:path';
import type { ComponentDefinition } from '../../config/registry.js';
import { ExternalModel } from './external-model.js';
import { type ExternalModelParams, externalModelParams } from './params.js';

/**
 * The external-process estimator, for the config registry; `cwd` resolves against the config file's
 * folder (and defaults to it), so `command: [python3, model.py]` finds the script beside the config.
 * @example
 * for (const definition of externalEstimators) registry.register(definition);
 */
export const externalEstimators: ComponentDefinition[] = [
  {
    name: 'ExternalModel',
    aliases: ['palladium.external.ExternalModel'],
    kind: 'estimator',
    params: externalModelParams,
    ctor: ExternalModel,
    create: (params: ExternalModelParams, ctx) => new ExternalModel({ ...params, cwd: resolve(ctx.baseDir, params.cwd ?? '.') }),
    summary: 'A model in any language (Python, R, Julia...) run as a warm child process speaking JSON lines: fit, predict, predict_proba, save, load.',
  } satisfies ComponentDefinition<ExternalModel, ExternalModelParams> as ComponentDefinition,
];
