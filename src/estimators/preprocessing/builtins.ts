import type { ComponentDefinition } from '../../config/registry.js';
import { MinMaxScaler } from './min-max-scaler.js';
import { OneHotEncoder } from './one-hot-encoder.js';
import { OrdinalEncoder } from './ordinal-encoder.js';
import {
  type MinMaxScalerParams,
  minMaxScalerParams,
  type OneHotEncoderParams,
  type OrdinalEncoderParams,
  oneHotEncoderParams,
  ordinalEncoderParams,
  type SimpleImputerParams,
  type StandardScalerParams,
  simpleImputerParams,
  standardScalerParams,
} from './params.js';
import { SimpleImputer } from './simple-imputer.js';
import { StandardScaler } from './standard-scaler.js';

/**
 * The preprocessing transformers, for the config registry (kind 'estimator', so a Pipeline step or a
 * stored model can name them), with scikit-learn dotted aliases.
 * @example
 * for (const definition of preprocessingEstimators) registry.register(definition);
 */
export const preprocessingEstimators: ComponentDefinition[] = [
  {
    name: 'StandardScaler',
    aliases: ['sklearn.preprocessing.StandardScaler'],
    kind: 'estimator',
    params: standardScalerParams,
    ctor: StandardScaler,
    create: (params: StandardScalerParams) => new StandardScaler(params),
    summary: 'Standardizes numeric columns to zero mean and unit variance.',
  } satisfies ComponentDefinition<StandardScaler, StandardScalerParams> as ComponentDefinition,
  {
    name: 'MinMaxScaler',
    aliases: ['sklearn.preprocessing.MinMaxScaler'],
    kind: 'estimator',
    params: minMaxScalerParams,
    ctor: MinMaxScaler,
    create: (params: MinMaxScalerParams) => new MinMaxScaler(params),
    summary: 'Scales numeric columns to a range by their training minimum and maximum.',
  } satisfies ComponentDefinition<MinMaxScaler, MinMaxScalerParams> as ComponentDefinition,
  {
    name: 'OneHotEncoder',
    aliases: ['sklearn.preprocessing.OneHotEncoder'],
    kind: 'estimator',
    params: oneHotEncoderParams,
    ctor: OneHotEncoder,
    create: (params: OneHotEncoderParams) => new OneHotEncoder(params),
    summary: 'One 0/1 column per category of text or numeric columns (dense output).',
  } satisfies ComponentDefinition<OneHotEncoder, OneHotEncoderParams> as ComponentDefinition,
  {
    name: 'OrdinalEncoder',
    aliases: ['sklearn.preprocessing.OrdinalEncoder'],
    kind: 'estimator',
    params: ordinalEncoderParams,
    ctor: OrdinalEncoder,
    create: (params: OrdinalEncoderParams) => new OrdinalEncoder(params),
    summary: 'Encodes each category as its index among the sorted categories.',
  } satisfies ComponentDefinition<OrdinalEncoder, OrdinalEncoderParams> as ComponentDefinition,
  {
    name: 'SimpleImputer',
    aliases: ['sklearn.impute.SimpleImputer'],
    kind: 'estimator',
    params: simpleImputerParams,
    ctor: SimpleImputer,
    create: (params: SimpleImputerParams) => new SimpleImputer(params),
    summary: 'Fills missing values (NaN, null) with the mean, median, most frequent value or a constant.',
  } satisfies ComponentDefinition<SimpleImputer, SimpleImputerParams> as ComponentDefinition,
];
