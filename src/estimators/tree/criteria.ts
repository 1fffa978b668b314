/** Values closer than this count as equal when looking for split points (scikit-learn's FEATURE_THRESHOLD). */
export const FEATURE_THRESHOLD = 1e-7;

/**
 * A split criterion for the CART builder: node totals, the best split point of one sorted feature and
 * the impurity decrease of the winner. Each criterion owns its scan loop so the hot loop stays
 * monomorphic (one call per feature, not one per sample).
 * @example
 * const criterion = new GiniEntropyCriterion(y, weights, 3, 'gini');
 */
export interface SplitCriterion {
  /** Weight of the current node, after {@link SplitCriterion.init}. */
  readonly wNode: number;
  /** Impurity of the current node, after {@link SplitCriterion.init}. */
  readonly impurity: number;
  /** Values per node (classes for classification, 1 for regression). */
  readonly nOutputs: number;
  /** Computes the totals of the samples `idx[start..end)`. */
  init(idx: Int32Array, start: number, end: number): void;
  /** Appends the current node's value (class shares or mean) to `out`. */
  pushValue(out: number[]): void;
  /**
   * Scans every split point of a feature sorted in `idx[start..end)`; when one beats `best` sets
   * `pos` and `threshold` and returns its proxy, else returns `best`.
   */
  scan(idx: Int32Array, col: Float64Array, start: number, end: number, minLeaf: number, best: number): number;
  /** scikit-learn's weighted impurity decrease of the split at `pos` (N_t/N scaled), `wTotal` = root weight. */
  improvement(idx: Int32Array, start: number, pos: number, wTotal: number): number;
  pos: number;
  threshold: number;
}

/**
 * Gini or entropy impurity over weighted class counts (scikit-learn's Gini / Entropy criteria).
 * `weight[i]` is the sample weight times its class weight; 0 for samples that are not in this tree.
 * @example
 * const c = new GiniEntropyCriterion(Int32Array.of(0, 1), Float64Array.of(1, 1), 2, 'entropy');
 */
export class GiniEntropyCriterion implements SplitCriterion {
  wNode = 0;
  impurity = 0;
  pos = 0;
  threshold = 0;
  readonly nOutputs: number;
  readonly #counts: Float64Array;
  readonly #left: Float64Array;
  readonly #x: Float64Array;
  readonly #y: Int32Array;
  readonly #w: Float64Array;
  /** Per row `weight << classBits | class` when the weights are small whole numbers (bootstrap counts), else null. */
  readonly #packed: Uint8Array | null;
  readonly #classBits: number;
  readonly #p: Uint8Array;

  constructor(
    private readonly y: Int32Array,
    private readonly weight: Float64Array,
    nClasses: number,
    private readonly kind: 'gini' | 'entropy',
  ) {
    this.nOutputs = nClasses;
    this.#counts = new Float64Array(nClasses);
    this.#left = new Float64Array(nClasses);
    this.#x = new Float64Array(y.length);
    this.#y = new Int32Array(y.length);
    this.#w = new Float64Array(y.length);
    this.#classBits = Math.max(1, Math.ceil(Math.log2(nClasses)));
    this.#packed = _packClassWeight(y, weight, this.#classBits);
    this.#p = new Uint8Array(this.#packed === null ? 0 : y.length);
  }

  init(idx: Int32Array, start: number, end: number): void {
    const counts = this.#counts;
    counts.fill(0);
    let w = 0;
    for (let p = start; p < end; p++) {
      const i = idx[p];
      counts[this.y[i]] += this.weight[i];
      w += this.weight[i];
    }
    this.wNode = w;
    this.impurity = this.#impurityOf(counts, w);
  }

  pushValue(out: number[]): void {
    for (let c = 0; c < this.nOutputs; c++) out.push(this.#counts[c] / this.wNode);
  }

  scan(idx: Int32Array, col: Float64Array, start: number, end: number, minLeaf: number, best: number): number {
    if (this.#packed !== null) return this.#scanPacked(idx, col, start, end, minLeaf, best, this.#packed);
    const n = end - start;
    const x = _gather(idx, start, end, col, this.#x);
    const yn = _gatherInt(idx, start, end, this.y, this.#y);
    const wn = _gather(idx, start, end, this.weight, this.#w);
    const cl = this.#left;
    cl.fill(0);
    let wl = 0;
    for (let q = 0; q < n - 1; q++) {
      cl[yn[q]] += wn[q];
      wl += wn[q];
      const v = x[q];
      const next = x[q + 1];
      if (next <= v + FEATURE_THRESHOLD) continue;
      if (q + 1 < minLeaf) continue;
      if (n - q - 1 < minLeaf) break;
      const proxy = this.#proxy(wl);
      if (proxy > best) {
        best = proxy;
        this.pos = start + q + 1;
        this.threshold = _midpoint(v, next);
      }
    }
    return best;
  }

  // The same scan reading one byte per sample for class and weight instead of 4 + 8 bytes at random
  // rows: the packed bytes of a tree's rows stay in cache. Whole weights sum exactly either way.
  #scanPacked(idx: Int32Array, col: Float64Array, start: number, end: number, minLeaf: number, best: number, packed: Uint8Array): number {
    const n = end - start;
    const x = _gather(idx, start, end, col, this.#x);
    const pn = this.#p;
    for (let p = start; p < end; p++) pn[p - start] = packed[idx[p]];
    const bits = this.#classBits;
    const mask = (1 << bits) - 1;
    const cl = this.#left;
    cl.fill(0);
    let wl = 0;
    for (let q = 0; q < n - 1; q++) {
      const code = pn[q];
      const w = code >> bits;
      cl[code & mask] += w;
      wl += w;
      const v = x[q];
      const next = x[q + 1];
      if (next <= v + FEATURE_THRESHOLD) continue;
      if (q + 1 < minLeaf) continue;
      if (n - q - 1 < minLeaf) break;
      const proxy = this.#proxy(wl);
      if (proxy > best) {
        best = proxy;
        this.pos = start + q + 1;
        this.threshold = _midpoint(v, next);
      }
    }
    return best;
  }

  improvement(idx: Int32Array, start: number, pos: number, wTotal: number): number {
    const wl = this.#accumulate(idx, start, pos);
    const wr = this.wNode - wl;
    const right = this.#counts.map((total, c) => total - this.#left[c]);
    const impL = this.#impurityOf(this.#left, wl);
    const impR = this.#impurityOf(right, wr);
    return (this.wNode / wTotal) * (this.impurity - (wr / this.wNode) * impR - (wl / this.wNode) * impL);
  }

  #accumulate(idx: Int32Array, start: number, pos: number): number {
    const cl = this.#left;
    cl.fill(0);
    let wl = 0;
    for (let p = start; p < pos; p++) {
      const i = idx[p];
      cl[this.y[i]] += this.weight[i];
      wl += this.weight[i];
    }
    return wl;
  }

  /** scikit-learn's proxy_impurity_improvement: -w_R imp_R - w_L imp_L, larger is better. */
  #proxy(wl: number): number {
    const counts = this.#counts;
    const cl = this.#left;
    const k = this.nOutputs;
    const wr = this.wNode - wl;
    if (this.kind === 'gini') {
      let sqL = 0;
      let sqR = 0;
      for (let c = 0; c < k; c++) {
        const a = cl[c];
        const b = counts[c] - a;
        sqL += a * a;
        sqR += b * b;
      }
      return -wr * (1 - sqR / (wr * wr)) - wl * (1 - sqL / (wl * wl));
    }
    let entL = 0;
    let entR = 0;
    for (let c = 0; c < k; c++) {
      const a = cl[c];
      const b = counts[c] - a;
      if (a > 0) entL -= (a / wl) * Math.log2(a / wl);
      if (b > 0) entR -= (b / wr) * Math.log2(b / wr);
    }
    return -wr * entR - wl * entL;
  }

  #impurityOf(counts: Float64Array, w: number): number {
    if (this.kind === 'gini') {
      let sq = 0;
      for (let c = 0; c < counts.length; c++) sq += counts[c] * counts[c];
      return 1 - sq / (w * w);
    }
    let ent = 0;
    for (let c = 0; c < counts.length; c++) if (counts[c] > 0) ent -= (counts[c] / w) * Math.log2(counts[c] / w);
    return ent;
  }
}

/**
 * Variance reduction (scikit-learn's MSE criterion, `squared_error`) or Friedman's improvement score
 * (`friedman_mse`), over weighted sums of y.
 * @example
 * const c = new VarianceCriterion(Float64Array.of(1.5, 2), Float64Array.of(1, 1), 'squared_error');
 */
export class VarianceCriterion implements SplitCriterion {
  wNode = 0;
  impurity = 0;
  pos = 0;
  threshold = 0;
  readonly nOutputs = 1;
  #sum = 0;
  #sq = 0;
  readonly #x: Float64Array;
  readonly #y: Float64Array;
  readonly #w: Float64Array;

  constructor(
    private readonly y: Float64Array,
    private readonly weight: Float64Array,
    private readonly kind: 'squared_error' | 'friedman_mse',
  ) {
    this.#x = new Float64Array(y.length);
    this.#y = new Float64Array(y.length);
    this.#w = new Float64Array(y.length);
  }

  init(idx: Int32Array, start: number, end: number): void {
    const { y, weight } = this;
    let w = 0;
    let sum = 0;
    let sq = 0;
    for (let p = start; p < end; p++) {
      const i = idx[p];
      const wy = weight[i] * y[i];
      w += weight[i];
      sum += wy;
      sq += wy * y[i];
    }
    this.wNode = w;
    this.#sum = sum;
    this.#sq = sq;
    this.impurity = Math.max(0, sq / w - (sum / w) ** 2);
  }

  pushValue(out: number[]): void {
    out.push(this.#sum / this.wNode);
  }

  scan(idx: Int32Array, col: Float64Array, start: number, end: number, minLeaf: number, best: number): number {
    const n = end - start;
    const x = _gather(idx, start, end, col, this.#x);
    const yn = _gather(idx, start, end, this.y, this.#y);
    const wn = _gather(idx, start, end, this.weight, this.#w);
    const total = this.#sum;
    const wNode = this.wNode;
    const friedman = this.kind === 'friedman_mse';
    let wl = 0;
    let sl = 0;
    for (let q = 0; q < n - 1; q++) {
      wl += wn[q];
      sl += wn[q] * yn[q];
      const v = x[q];
      const next = x[q + 1];
      if (next <= v + FEATURE_THRESHOLD) continue;
      if (q + 1 < minLeaf) continue;
      if (n - q - 1 < minLeaf) break;
      const wr = wNode - wl;
      const sr = total - sl;
      let proxy: number;
      if (friedman) {
        const diff = wr * sl - wl * sr;
        proxy = (diff * diff) / (wl * wr);
      } else proxy = (sl * sl) / wl + (sr * sr) / wr;
      if (proxy > best) {
        best = proxy;
        this.pos = start + q + 1;
        this.threshold = _midpoint(v, next);
      }
    }
    return best;
  }

  improvement(idx: Int32Array, start: number, pos: number, wTotal: number): number {
    const [wl, sl, ql] = this.#accumulate(idx, start, pos);
    const wNode = this.wNode;
    const wr = wNode - wl;
    const sr = this.#sum - sl;
    if (this.kind === 'friedman_mse') {
      // scikit-learn's FriedmanMSE.impurity_improvement: not scaled by the node's share of the root.
      const diff = wr * sl - wl * sr;
      return (diff * diff) / (wl * wr * wNode);
    }
    const impL = ql / wl - (sl / wl) ** 2;
    const impR = (this.#sq - ql) / wr - (sr / wr) ** 2;
    return (wNode / wTotal) * (this.impurity - (wr / wNode) * impR - (wl / wNode) * impL);
  }

  #accumulate(idx: Int32Array, start: number, pos: number): [number, number, number] {
    let w = 0;
    let s = 0;
    let q = 0;
    for (let p = start; p < pos; p++) {
      const i = idx[p];
      const wy = this.weight[i] * this.y[i];
      w += this.weight[i];
      s += wy;
      q += wy * this.y[i];
    }
    return [w, s, q];
  }
}

// The scans read a node's samples in one feature's order: random reads of the value, class and weight
// of each sample. Gathering them first, in loops of independent loads the CPU overlaps, and then
// scanning contiguous copies was a quarter of a forest's fit time less than reading them in the scan loop.
function _gather(idx: Int32Array, start: number, end: number, from: Float64Array, to: Float64Array): Float64Array {
  for (let p = start; p < end; p++) to[p - start] = from[idx[p]];
  return to;
}

/** Class and weight in one byte per row, or null when a weight is not a whole number or does not fit. */
function _packClassWeight(y: Int32Array, weight: Float64Array, classBits: number): Uint8Array | null {
  const limit = 256 >> classBits;
  const out = new Uint8Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const w = weight[i];
    if (!Number.isInteger(w) || w < 0 || w >= limit) return null;
    out[i] = (w << classBits) | y[i];
  }
  return out;
}

function _gatherInt(idx: Int32Array, start: number, end: number, from: Int32Array, to: Int32Array): Int32Array {
  for (let p = start; p < end; p++) to[p - start] = from[idx[p]];
  return to;
}

/** Midpoint as scikit-learn computes it, falling back to the left value when rounding reaches the right one. */
function _midpoint(v: number, next: number): number {
  const threshold = v / 2 + next / 2;
  return threshold === next || threshold === Infinity || threshold === -Infinity ? v : threshold;
}
