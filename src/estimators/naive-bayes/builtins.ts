import type { ComponentDefinition } from '../../config/registry.js';
import { GaussianNB } from './gaussian-nb.js';
import { MultinomialNB } from './multinomial-nb.js';
import { type GaussianNBParams, gaussianNBParams, type MultinomialNBParams, multinomialNBParams } from './params.js';

/**
 * The naive Bayes classifiers, for the config registry, with `sklearn.naive_bayes.*` aliases.
 * @example
 * for (const definition of naiveBayesEstimators) registry.register(definition);
 */
export const naiveBayesEstimators: ComponentDefinition[] = [
  {
    name: 'GaussianNB',
    aliases: ['sklearn.naive_bayes.GaussianNB'],
    kind: 'estimator',
    params: gaussianNBParams,
    ctor: GaussianNB,
    create: (params: GaussianNBParams) => new GaussianNB(params),
    summary: 'Gaussian naive Bayes (per-class normal features, variance smoothing, optional priors).',
  } satisfies ComponentDefinition<GaussianNB, GaussianNBParams> as ComponentDefinition,
  {
    name: 'MultinomialNB',
    aliases: ['sklearn.naive_bayes.MultinomialNB'],
    kind: 'estimator',
    params: multinomialNBParams,
    ctor: MultinomialNB,
    create: (params: MultinomialNBParams) => new MultinomialNB(params),
    summary: 'Multinomial naive Bayes for non-negative counts (additive smoothing alpha, class priors).',
  } satisfies ComponentDefinition<MultinomialNB, MultinomialNBParams> as ComponentDefinition,
];
