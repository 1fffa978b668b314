import type { ComponentDefinition } from '../../config/registry.js';
import { GroupKFold, groupKFoldParams } from './group-kfold.js';
import { KFold, kFoldParams, StratifiedKFold } from './kfold.js';
import { ShuffleSplit, StratifiedShuffleSplit, shuffleSplitParams } from './shuffle-split.js';
import { TimeSeriesSplit, timeSeriesSplitParams } from './time-series.js';

const _entry = (name: string, params: ComponentDefinition['params'], ctor: new (p: any) => unknown, summary: string): ComponentDefinition => ({
  name,
  aliases: [`sklearn.model_selection.${name}`],
  kind: 'splitter',
  params,
  ctor: ctor as ComponentDefinition['ctor'],
  create: (parsed) => new ctor(parsed),
  summary,
});

/**
 * The cross-validation splitters as registry entries (kind `splitter`), scikit-learn's names and
 * `sklearn.model_selection.*` aliases, so `"cv": {"__factory__": "StratifiedKFold", "n_splits": 3}` works.
 * @example
 * for (const definition of builtinSplitters) registry.register(definition);
 */
export const builtinSplitters: ComponentDefinition[] = [
  _entry('KFold', kFoldParams, KFold, 'K consecutive folds, optionally shuffled.'),
  _entry('StratifiedKFold', kFoldParams, StratifiedKFold, 'K folds keeping class proportions (default for classifiers).'),
  _entry('ShuffleSplit', shuffleSplitParams, ShuffleSplit, 'Independent random train/test splits.'),
  _entry('StratifiedShuffleSplit', shuffleSplitParams, StratifiedShuffleSplit, 'Random splits keeping class proportions.'),
  _entry('GroupKFold', groupKFoldParams, GroupKFold, 'K folds with no group in both train and test.'),
  _entry('TimeSeriesSplit', timeSeriesSplitParams, TimeSeriesSplit, 'Growing past windows, scored on the next rows.'),
];
