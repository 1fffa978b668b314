import { mulberry32 } from '../tree/prng.js';
import { binColumn, binThresholds } from './binning.js';
import { canUseWorkers, resolveJobs } from './forest-pool.js';
import { packBins } from './hgb-histogram.js';
import { HistogramTeam } from './hgb-team.js';
import { HistKernel } from './hgb-wasm.js';
import { addBinnedTree, type BinnedData, HistGrower, type HistTree } from './hgb-grower.js';
import type { BoostingLoss } from './hgb-loss.js';
import type { HistGradientBoostingParams } from './hgb-params.js';

/** Rows scikit-learn's _BinMapper looks at to find bin edges. */
const BIN_SUBSAMPLE = 200_000;
/** Fewer training rows than this fit in one thread whatever `n_jobs` says (starting workers costs more). */
const MIN_PARALLEL_FIT_ROWS = 8192;
/** Above this many rows `early_stopping: 'auto'` turns early stopping on. */
const AUTO_EARLY_STOPPING_ROWS = 10_000;

/**
 * The fitted part of a histogram gradient boosting model: bin thresholds, baseline, and `k` trees per
 * iteration (`trees[iteration * k + c]`), plus the score curves.
 * @example
 * state.trees.length === state.nIter * state.k;
 */
export interface BoostingFit {
  baseline: Float64Array;
  k: number;
  trees: HistTree[];
  nIter: number;
  binThresholds: Float64Array[];
  /** -loss on the training rows: the baseline first, then one entry per iteration. */
  trainScore: Float64Array;
  /** -loss on the validation rows when early stopping used them, else empty. */
  validationScore: Float64Array;
  doEarlyStopping: boolean;
}

/**
 * The boosting loop of scikit-learn's BaseHistGradientBoosting.fit: bin the features, start from the
 * loss's best constant, then per iteration compute gradients and grow `k` trees, stopping early when
 * the last `n_iter_no_change` scores did not beat the one before them by `tol`.
 * @example
 * const fit = fitBoosting(columns, codes, boostingLoss('log_loss', 3), params, true);
 */
export async function fitBoosting(
  columns: readonly Float64Array[],
  y: Float64Array | Int32Array,
  loss: BoostingLoss,
  params: HistGradientBoostingParams,
  stratify: boolean,
): Promise<BoostingFit> {
  const n = y.length;
  const seed = params.random_state ?? Math.floor(Math.random() * 0x1_0000_0000);
  const doEarlyStopping = params.early_stopping === 'auto' ? n > AUTO_EARLY_STOPPING_ROWS : params.early_stopping;
  const useValidation = doEarlyStopping && params.validation_fraction !== null;
  const { train, validation } = useValidation ? _split(y, params.validation_fraction as number, stratify, mulberry32(seed)) : { train: null, validation: new Int32Array(0) };
  const yTrain = train === null ? y : _take(y, train);
  const yVal = _take(y, validation);
  const nTrain = yTrain.length;

  const subsample = nTrain > BIN_SUBSAMPLE ? _sampleRows(nTrain, BIN_SUBSAMPLE, mulberry32(seed ^ 0x9e3779b9)) : null;
  const thresholds = columns.map((col) => {
    const rows = train === null ? col : _takeF(col, train);
    return binThresholds(subsample === null ? rows : _takeF(rows, subsample), params.max_bins);
  });
  const jobs = resolveJobs(params.n_jobs, Math.ceil(columns.length / 4));
  // Worker threads pay off on big nodes only; below this many rows the fit stays in this thread.
  const parallel = jobs > 1 && nTrain >= MIN_PARALLEL_FIT_ROWS && canUseWorkers();
  const bins = columns.map((col, f) => binColumn(col, thresholds[f], train ?? undefined));
  const data: BinnedData = {
    bins,
    packed: packBins(bins, parallel),
    thresholds,
    nBins: Int32Array.from(thresholds, (t) => t.length + 1),
  };
  const valBins = columns.map((col, f) => binColumn(col, thresholds[f], validation));
  // Histograms are built by WebAssembly on buffers in its memory (shared with the workers when
  // parallel): enough histograms for every leaf candidate of a bounded tree and one per worker; beyond
  // that the grower falls back to JavaScript ones.
  const nHistograms = (params.max_leaf_nodes ?? 62) + 2 + (parallel ? jobs : 0);
  const kernel = HistKernel.create(data.packed, data.bins, nTrain, loss.k, !loss.constantHessian, nHistograms, parallel);
  if (kernel !== null) {
    data.packed = kernel.packed;
    data.bins = kernel.bins;
  }
  const g = kernel?.g ?? Array.from({ length: loss.k }, () => _floats(nTrain, parallel));
  const h = kernel?.h ?? Array.from({ length: loss.k }, () => _floats(loss.constantHessian ? 0 : nTrain, parallel));
  const team = parallel ? await HistogramTeam.start(jobs, data.packed, g, h, kernel) : null;
  try {
    return _boost({ data, valBins, yTrain, yVal, loss, params, g, h, team, kernel, useValidation, doEarlyStopping });
  } finally {
    await team?.close();
  }
}

/** Everything the boosting iterations need, prepared by fitBoosting. */
interface _Setup {
  data: BinnedData;
  valBins: Uint8Array[];
  yTrain: Float64Array | Int32Array;
  yVal: Float64Array | Int32Array;
  loss: BoostingLoss;
  params: HistGradientBoostingParams;
  /** Gradient and hessian buffers per output (on SharedArrayBuffers when a team uses them). */
  g: Float64Array[];
  h: Float64Array[];
  team: HistogramTeam | null;
  kernel: HistKernel | null;
  useValidation: boolean;
  doEarlyStopping: boolean;
}

function _boost({ data, valBins, yTrain, yVal, loss, params, g, h, team, kernel, useValidation, doEarlyStopping }: _Setup): BoostingFit {
  const k = loss.k;
  const nTrain = yTrain.length;
  const baseline = loss.baseline(yTrain);
  const raw = _repeat(baseline, nTrain);
  const rawVal = _repeat(baseline, yVal.length);
  const grower = new HistGrower(
    data,
    {
      maxLeafNodes: params.max_leaf_nodes,
      maxDepth: params.max_depth,
      minSamplesLeaf: params.min_samples_leaf,
      l2: params.l2_regularization,
      shrinkage: params.learning_rate,
    },
    team,
    kernel,
  );
  // Gradients of the current raw predictions come with their loss: each iteration's training score is
  // the by-product of the next iteration's gradients (one spare pass after the last iteration).
  const trainScore = [-loss.gradients(yTrain, raw, g, h)];
  const validationScore = useValidation ? [-loss.loss(yVal, rawVal)] : [];
  const trees: HistTree[] = [];
  let nIter = 0;
  for (let iteration = 0; iteration < params.max_iter; iteration++) {
    for (let c = 0; c < k; c++) {
      const tree = grower.grow(g[c], loss.constantHessian ? null : h[c], raw, k, c);
      if (useValidation) addBinnedTree(tree, valBins, rawVal, k, c);
      trees.push(tree);
    }
    nIter++;
    trainScore.push(-loss.gradients(yTrain, raw, g, h));
    if (useValidation) validationScore.push(-loss.loss(yVal, rawVal));
    if (doEarlyStopping && _shouldStop(useValidation ? validationScore : trainScore, params.n_iter_no_change, params.tol)) break;
  }
  return {
    baseline,
    k,
    trees,
    nIter,
    binThresholds: data.thresholds,
    trainScore: Float64Array.from(trainScore),
    validationScore: Float64Array.from(validationScore),
    doEarlyStopping,
  };
}

/** scikit-learn's _should_stop: none of the last n scores beats the one before them by more than tol. */
function _shouldStop(scores: number[], nNoChange: number, tol: number): boolean {
  if (scores.length < nNoChange + 1) return false;
  const reference = scores[scores.length - nNoChange - 1] + tol;
  for (let j = scores.length - nNoChange; j < scores.length; j++) if (scores[j] > reference) return false;
  return true;
}

/** A seeded shuffle split (stratified by class code for classifiers), both index lists sorted. */
function _split(y: Float64Array | Int32Array, fraction: number, stratify: boolean, random: () => number): { train: Int32Array; validation: Int32Array } {
  const n = y.length;
  const nVal = fraction >= 1 ? Math.min(n - 1, fraction) : Math.max(1, Math.ceil(fraction * n));
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = stratify ? y[i] : 0;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [i]);
    else list.push(i);
  }
  const isVal = new Uint8Array(n);
  for (const rows of groups.values()) {
    const take = Math.round((nVal * rows.length) / n);
    for (let j = 0; j < take; j++) {
      const swap = j + Math.floor(random() * (rows.length - j));
      [rows[j], rows[swap]] = [rows[swap], rows[j]];
      isVal[rows[j]] = 1;
    }
  }
  const validation: number[] = [];
  const train: number[] = [];
  for (let i = 0; i < n; i++) (isVal[i] === 1 ? validation : train).push(i);
  return { train: Int32Array.from(train), validation: Int32Array.from(validation) };
}

function _sampleRows(n: number, m: number, random: () => number): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  for (let j = 0; j < m; j++) {
    const swap = j + Math.floor(random() * (n - j));
    const t = all[j];
    all[j] = all[swap];
    all[swap] = t;
  }
  return all.subarray(0, m).sort();
}

function _take<T extends Float64Array | Int32Array>(y: T, rows: Int32Array): T {
  const out = new (y.constructor as new (n: number) => T)(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = y[rows[j]];
  return out;
}

function _takeF(col: Float64Array, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = col[rows[j]];
  return out;
}

function _floats(n: number, shared: boolean): Float64Array {
  return new Float64Array(shared ? new SharedArrayBuffer(n * 8) : new ArrayBuffer(n * 8));
}

function _repeat(baseline: Float64Array, n: number): Float64Array {
  const k = baseline.length;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) out.set(baseline, i * k);
  return out;
}
