import type { Labels } from '../../data/frame.js';
import { uninitializedF64 } from '../../internal/uninitialized.js';
import { decodeLabels } from '../tree/labels.js';
import { columnsArgmax, columnsDot, columnsScores } from './blas.js';
import { createArena, type KernelArena, Layout, releaseArena } from './wasm/kernels.js';
import { PREDICT_BLOCK, PREDICT_STAGE } from './wasm/predict-kernels.js';

/**
 * Batch predict of the linear models: scores = X·Wᵀ + b straight from the Frame's columns. Large batches
 * go through the f64x2 WebAssembly kernels: a block of rows of up to eight columns at a time is copied
 * into the kernels' memory (a memcpy per column: the one full read of X) and multiplied there while it is
 * in cache; the finiteness check, the labels and the argmax are kernels too, so JavaScript only copies
 * each block's result out. Small batches, or engines without WebAssembly SIMD, take blas.ts's JavaScript
 * loops. Both add the same terms in the same order, so the results are bit-identical.
 */

/** Below this many rows (d = 20: crossover between 256 and 512) the JavaScript loops win: the WebAssembly path costs ~6 µs per call. */
const _MIN_WASM_ROWS = 384;

/**
 * out[i] = bias + Σⱼ w[j]·columns[j][i] for the first `n` rows (a regressor's predict); false when some
 * value is NaN or ±Infinity (the caller then looks for the input that made it).
 * @example
 * const finite = predictDot(columns, n, coef, intercept, out);
 */
export function predictDot(columns: readonly Float64Array[], n: number, w: Float64Array, bias: number, out: Float64Array): boolean {
  const scorer = _BlockScorer.open(columns, n, w, 1, [bias]);
  if (scorer === null) {
    columnsDot(columns, n, w, 0, bias, out, 0, 1);
    let probe = 0;
    for (let i = 0; i < n; i++) probe += out[i] - out[i];
    return probe === 0;
  }
  let probe = 0;
  try {
    for (let start = 0; start < n; start += PREDICT_BLOCK) {
      const end = Math.min(n, start + PREDICT_BLOCK);
      probe += scorer.score(start, end);
      out.set(scorer.scores(0, end - start), start);
    }
  } finally {
    scorer.release();
  }
  return probe === 0;
}

/**
 * out[i·K + k] = bias[k] + Σⱼ W[k·d + j]·columns[j][i] (`W` row-major `K × d`): the decision function.
 * @example
 * predictScores(columns, n, coef, 3, intercept, out);
 */
export function predictScores(columns: readonly Float64Array[], n: number, W: Float64Array, K: number, bias: Float64Array, out: Float64Array): void {
  const scorer = _BlockScorer.open(columns, n, W, K, bias);
  if (scorer === null) {
    columnsScores(columns, n, W, K, bias, out);
    return;
  }
  try {
    for (let start = 0; start < n; start += PREDICT_BLOCK) {
      const end = Math.min(n, start + PREDICT_BLOCK);
      scorer.score(start, end);
      for (let k = 0; k < K; k++) {
        const scores = scorer.scores(k, end - start);
        for (let i = 0, o = start * K + k; i < scores.length; i++, o += K) out[o] = scores[i];
      }
    }
  } finally {
    scorer.release();
  }
}

/**
 * Two-class probabilities from one coefficient row: out[2i + 1] = p = 1 / (1 + e^(−score)), out[2i] = 1 − p
 * (`out` is `n × 2`, row-major), straight from each block's scores; false when a score is NaN or ±Infinity.
 * @example
 * const finite = predictBinaryProba(columns, n, coef, intercept, proba.data);
 */
export function predictBinaryProba(columns: readonly Float64Array[], n: number, w: Float64Array, bias: Float64Array, out: Float64Array): boolean {
  const scorer = _BlockScorer.open(columns, n, w, 1, bias);
  if (scorer === null) {
    const scores = new Float64Array(n);
    columnsScores(columns, n, w, 1, bias, scores);
    _sigmoidPairs(scores, out);
    let probe = 0;
    for (let i = 0; i < n; i++) probe += scores[i] - scores[i];
    return probe === 0;
  }
  let probe = 0;
  try {
    for (let start = 0; start < n; start += PREDICT_BLOCK) {
      const end = Math.min(n, start + PREDICT_BLOCK);
      probe += scorer.score(start, end);
      out.set(scorer.sigmoidPairs(end - start), 2 * start);
    }
  } finally {
    scorer.release();
  }
  return probe === 0;
}

/** out[2i] = 1 − p, out[2i + 1] = p = 1 / (1 + e^(−scores[i])): what the sigmoidPairs kernel computes. */
function _sigmoidPairs(scores: Float64Array, out: Float64Array): void {
  for (let i = 0, o = 0; i < scores.length; i++, o += 2) {
    const p = 1 / (1 + Math.exp(-scores[i]));
    out[o] = 1 - p;
    out[o + 1] = p;
  }
}

/**
 * The label of the highest score of every row, as `classes` holds them (string[] or Float64Array): the
 * first class on ties (like np.argmax), and for K = 1 coefficient row (two classes) classes[1] where the
 * score is > 0. `finite` is false when some score is NaN or ±Infinity.
 * @example
 * const { labels, finite } = predictLabels(columns, n, coef, 3, intercept, classes);
 */
export function predictLabels(columns: readonly Float64Array[], n: number, W: Float64Array, K: number, bias: Float64Array, classes: Labels): { labels: Labels; finite: boolean } {
  const scorer = _BlockScorer.open(columns, n, W, K, bias);
  if (scorer === null) {
    const codes = new Int32Array(n);
    const finite = columnsArgmax(columns, n, W, K, bias, codes);
    return { labels: decodeLabels(classes, codes), finite };
  }
  const numeric = classes instanceof Float64Array;
  // The kernels pick among f64 values: the labels themselves when numeric, else their indices.
  const values = numeric ? classes : Float64Array.from(classes, (_, k) => k);
  const labels: Labels = numeric ? uninitializedF64(n) : new Array<string>(n);
  let probe = 0;
  try {
    for (let start = 0; start < n; start += PREDICT_BLOCK) {
      const end = Math.min(n, start + PREDICT_BLOCK);
      probe += scorer.score(start, end);
      const picked = scorer.pick(values, end - start);
      if (labels instanceof Float64Array) labels.set(picked, start);
      else for (let i = 0; i < picked.length; i++) labels[start + i] = (classes as string[])[picked[i]];
    }
  } finally {
    scorer.release();
  }
  return { labels, finite: probe === 0 };
}

/**
 * One batch's scoring in the kernels' memory: the weights copied in once, then a block of rows at a
 * time (at most {@link PREDICT_BLOCK}). Layout: {@link PREDICT_STAGE} column slots, K score slots (class
 * k's scores of the block at slot k), the weights, the label values, two slots of (1 − p, p)
 * pairs and two of scratch for their kernel.
 */
class _BlockScorer {
  private readonly f64: Float64Array;
  private readonly slot = PREDICT_BLOCK * 8;
  private nBytes = 0;

  private constructor(
    private readonly arena: KernelArena,
    private readonly columns: readonly Float64Array[],
    private readonly K: number,
    private readonly bias: ArrayLike<number>,
    private readonly pScores: number,
    private readonly pW: number,
    private readonly pValues: number,
    private readonly pPairs: number,
  ) {
    this.f64 = arena.f64;
  }

  /** A scorer for `n` rows, or null for small batches or without the kernels (the caller runs JavaScript). */
  static open(columns: readonly Float64Array[], n: number, W: Float64Array, K: number, bias: ArrayLike<number>): _BlockScorer | null {
    if (n < _MIN_WASM_ROWS) return null;
    const d = columns.length;
    const slot = PREDICT_BLOCK * 8;
    const layout = new Layout();
    layout.take(PREDICT_STAGE * slot);
    const pScores = layout.take(Math.max(K, 2) * slot);
    const pW = layout.take(K * d * 8);
    const pValues = layout.take(Math.max(K, 2) * 8);
    const pPairs = layout.take(4 * slot);
    // Not zeroed: every staged value and score is written before it is read (the pad rows past a block's
    // end are never read), and a batch of a few hundred rows would pay more for zeroing than for its scores.
    const arena = createArena(layout.size, false);
    if (arena === null) return null;
    arena.f64.set(W.subarray(0, K * d), pW / 8);
    return new _BlockScorer(arena, columns, K, bias, pScores, pW, pValues, pPairs);
  }

  /**
   * Scores rows [start, end) of every class into the score slots; returns Σ (s − s) over them, 0 exactly
   * when all are finite. Passes take four rows, so up to three rows past `end` are scored too, from
   * whatever the staging slots held there: never read, nor checked.
   */
  score(start: number, end: number): number {
    const { f64, columns, K, slot, pScores, pW } = this;
    const { kernels } = this.arena;
    const d = columns.length;
    const nBytes = Math.ceil((end - start) / 4) * 32;
    this.nBytes = nBytes;
    for (let k = 0; k < K; k++) kernels.fill(pScores + k * slot, nBytes, this.bias[k]);
    // Eight columns, then four, then one at a time: blas.ts's groups of four, in its order.
    for (let j = 0; j < d; ) {
      const width = d - j >= 8 ? 8 : d - j >= 4 ? 4 : 1;
      for (let q = 0; q < width; q++) f64.set(columns[j + q].subarray(start, end), q * PREDICT_BLOCK);
      for (let k = 0; k < K; k++) {
        const pw = pW + (k * d + j) * 8;
        const pout = pScores + k * slot;
        if (width === 8) kernels.dot8(0, pw, pout, nBytes);
        else if (width === 4) kernels.dot4(0, pw, pout, nBytes);
        else kernels.dot1(0, pw, pout, nBytes);
      }
      j += width;
    }
    // Only the block's own rows: an odd last row is checked here, the pairs before it by the kernel.
    const m = end - start;
    const pairBytes = (m >> 1) * 16;
    let probe = 0;
    for (let k = 0; k < K; k++) {
      probe += kernels.probe(pScores + k * slot, pairBytes);
      if (m & 1) probe += f64[(pScores + k * slot) / 8 + m - 1] - f64[(pScores + k * slot) / 8 + m - 1];
    }
    return probe;
  }

  /** Class k's scores of the last block's first `m` rows (a view: copy before the next block). */
  scores(k: number, m: number): Float64Array {
    const at = (this.pScores + k * this.slot) / 8;
    return this.f64.subarray(at, at + m);
  }

  /** The last block's first `m` rows' two-class probabilities (1 − p, p per row; a view, as {@link scores}). */
  sigmoidPairs(m: number): Float64Array {
    const pairs = this.pPairs;
    this.arena.kernels.sigmoidPairs(this.pScores, pairs, Math.ceil(m / 2) * 16, pairs + 2 * this.slot, pairs + 3 * this.slot);
    const at = pairs / 8;
    return this.f64.subarray(at, at + 2 * m);
  }

  /** For the last block's first `m` rows, values[argmax] (for K = 1, values[score > 0 ? 1 : 0]); a view, as {@link scores}. */
  pick(values: Float64Array, m: number): Float64Array {
    const { kernels } = this.arena;
    if (this.K === 1) kernels.threshold(this.pScores, this.nBytes, values[0], values[1]);
    else {
      this.f64.set(values, this.pValues / 8);
      kernels.argmax(this.pScores, this.nBytes, this.K, this.pValues);
    }
    return this.scores(0, m);
  }

  /** Hands the arena back; the scorer must not be used afterwards. */
  release(): void {
    releaseArena(this.arena);
  }
}
