import type { ComponentDefinition } from '../config/registry.js';
import { PredictService, predictServiceParams } from './predict-service.js';

/** Built-in predict services. */
export const builtinServices: ComponentDefinition[] = [
  {
    name: 'PredictService',
    aliases: ['palladium.server.PredictService'],
    kind: 'service',
    params: predictServiceParams,
    ctor: PredictService,
    create: (params) => new PredictService(params),
    summary: "Palladium's predict service: maps query or JSON fields to model inputs at an entry point",
  },
];
