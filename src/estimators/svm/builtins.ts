import type { ComponentDefinition } from '../../config/registry.js';
import { type SVCParams, svcParams } from './params.js';
import { SVC } from './svc.js';

/**
 * The support vector machines, for the config registry, with `sklearn.svm.*` aliases.
 * @example
 * for (const definition of svmEstimators) registry.register(definition);
 */
export const svmEstimators: ComponentDefinition[] = [
  {
    name: 'SVC',
    aliases: ['sklearn.svm.SVC'],
    kind: 'estimator',
    params: svcParams,
    ctor: SVC,
    create: (params: SVCParams) => new SVC(params),
    summary: "C-support vector classifier (libsvm's SMO with WSS2 and shrinking; linear, rbf, poly, sigmoid kernels; one-vs-one; Platt probabilities).",
  } satisfies ComponentDefinition<SVC, SVCParams> as ComponentDefinition,
];
