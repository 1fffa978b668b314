import { isAbsolute, resolve } from 'node:path';
import type { ComponentDefinition } from '../../config/registry.js';
import { OnnxModel } from './onnx-model.js';
import { type OnnxModelParams, onnxModelParams } from './params.js';

/**
 * The ONNX estimator, for the config registry; `path` resolves against the config file's folder.
 * @example
 * for (const definition of onnxEstimators) registry.register(definition);
 */
export const onnxEstimators: ComponentDefinition[] = [
  {
    name: 'OnnxModel',
    aliases: ['palladium.onnx.OnnxModel'],
    kind: 'estimator',
    params: onnxModelParams,
    ctor: OnnxModel,
    create: (params: OnnxModelParams, ctx) => new OnnxModel({ ...params, path: isAbsolute(params.path) ? params.path : resolve(ctx.baseDir, params.path) }),
    summary: 'A pre-fitted model in ONNX format run by ONNX Runtime; `fit` reads the file and stores its bytes as the version.',
  } satisfies ComponentDefinition<OnnxModel, OnnxModelParams> as ComponentDefinition,
];
