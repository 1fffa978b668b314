import type { NodeKernel, RandomSplitKernel } from './random-wasm.js';

/**
 * A split criterion for the sort-free random splitter ({@link growRandomSplitTree}). The node's samples are in
 * no particular value order, so a candidate is judged in one pass that adds every sample to the side its value
 * falls on; both sides are summed directly (never one as the node minus the other), so the winner's sums
 * become its children's totals exactly and no node has to sum its samples again.
 * @example
 * const criterion = new RandomGiniEntropy(y, weight, 3, 'gini');
 */
export interface RandomSplitCriterion {
  /** Values per node (classes for classification, 1 for regression). */
  readonly nOutputs: number;
  /** Floats in one node's totals, as {@link RandomSplitCriterion.totalsOf} writes them. */
  readonly statsSize: number;
  /** Floats the WebAssembly side sums write (see {@link RandomSplitKernel.sides}). */
  readonly sidesSize: number;
  /**
   * How the kernel's whole-node {@link RandomSplitKernel.split} judges the candidates for this criterion
   * instead of {@link RandomSplitCriterion.evaluate} and {@link RandomSplitCriterion.proxy}; null where it
   * cannot (entropy needs `Math.log2`).
   */
  readonly nodeKernel: NodeKernel | null;
  /** Copies the targets and weights into the kernel's memory and evaluates with it from now on (`values` must then be the kernel's). */
  bind(kernel: RandomSplitKernel): void;
  /** Weight of the current node, after {@link RandomSplitCriterion.load}. */
  readonly wNode: number;
  /** Impurity of the current node, after {@link RandomSplitCriterion.load}. */
  readonly impurity: number;
  /** Writes the totals of the samples `samples[start..end)` to `out[offset..]`. */
  totalsOf(samples: Int32Array, start: number, end: number, out: Float64Array, offset: number): void;
  /** Makes the node whose totals are at `stats[offset..]` the current one. */
  load(stats: Float64Array, offset: number): void;
  /** Writes the current node's value (class shares or mean) to `out[offset..]`. */
  writeValue(out: Float64Array, offset: number): void;
  /** Sums both sides of the split sending `values[p] <= threshold` left, over `start <= p < end`; returns the left count. */
  evaluate(samples: Int32Array, values: Float32Array, start: number, end: number, threshold: number): number;
  /** scikit-learn's proxy_impurity_improvement of the last evaluated split, larger is better. */
  proxy(): number;
  /** Keeps the last evaluated split as the node's best so far. */
  keepBest(): void;
  /** scikit-learn's weighted impurity decrease of the kept split, `wTotal` = root weight. */
  bestImprovement(wTotal: number): number;
  /** Writes the totals of the kept split's left (`side` 0) or right (1) child to `out[offset..]`. */
  writeBestChild(side: 0 | 1, out: Float64Array, offset: number): void;
}

/**
 * Gini or entropy over weighted class counts for the random splitter; totals are the class counts.
 * `weight[i]` is the sample weight times its class weight, and is only read for samples in the tree.
 * @example
 * const c = new RandomGiniEntropy(Int32Array.of(0, 1), Float64Array.of(1, 1), 2, 'entropy');
 */
export class RandomGiniEntropy implements RandomSplitCriterion {
  readonly nOutputs: number;
  readonly statsSize: number;
  readonly sidesSize: number;
  readonly nodeKernel: NodeKernel | null;
  wNode = 0;
  impurity = 0;
  readonly #counts: Float64Array;
  /** Class counts of the last evaluated split, interleaved: `[2c]` left, `[2c + 1]` right. */
  #sides: Float64Array;
  /** Class counts of the kept split, as #sides; the kernel's {@link RandomSplitKernel.bestSides} once bound. */
  #best: Float64Array;
  readonly #unitWeights: boolean;
  #kernel: RandomSplitKernel | null = null;

  constructor(
    private readonly y: Int32Array,
    private readonly weight: Float64Array,
    nClasses: number,
    private readonly kind: 'gini' | 'entropy',
  ) {
    this.nOutputs = nClasses;
    this.statsSize = nClasses;
    this.sidesSize = 2 * nClasses;
    this.#counts = new Float64Array(nClasses);
    this.#sides = new Float64Array(2 * nClasses);
    this.#best = new Float64Array(2 * nClasses);
    // Without sample or class weights the weight reads can be skipped in the hot loop.
    this.#unitWeights = weight.every((w) => w === 1);
    this.nodeKernel = kind === 'gini' ? { kind, weighted: !this.#unitWeights } : null;
  }

  bind(kernel: RandomSplitKernel): void {
    kernel.classes.set(this.y);
    kernel.weights.set(this.weight);
    this.#sides = kernel.sides;
    this.#best = kernel.bestSides;
    this.#kernel = kernel;
  }

  totalsOf(samples: Int32Array, start: number, end: number, out: Float64Array, offset: number): void {
    const { y, weight } = this;
    out.fill(0, offset, offset + this.nOutputs);
    for (let p = start; p < end; p++) {
      const i = samples[p];
      out[offset + y[i]] += weight[i];
    }
  }

  load(stats: Float64Array, offset: number): void {
    const counts = this.#counts;
    let w = 0;
    for (let c = 0; c < counts.length; c++) {
      counts[c] = stats[offset + c];
      w += counts[c];
    }
    this.wNode = w;
    this.impurity = this.#impurityOf(counts, 0, 1, w);
  }

  writeValue(out: Float64Array, offset: number): void {
    for (let c = 0; c < this.nOutputs; c++) out[offset + c] = this.#counts[c] / this.wNode;
  }

  evaluate(samples: Int32Array, values: Float32Array, start: number, end: number, threshold: number): number {
    const kernel = this.#kernel;
    if (kernel !== null) return end - start - kernel.counts(values, start, end, threshold, !this.#unitWeights);
    const { y, weight } = this;
    const sides = this.#sides;
    sides.fill(0);
    let nRight = 0;
    if (this.#unitWeights) {
      for (let p = start; p < end; p++) {
        const right = values[p] > threshold ? 1 : 0;
        sides[(y[samples[p]] << 1) | right]++;
        nRight += right;
      }
    } else {
      for (let p = start; p < end; p++) {
        const i = samples[p];
        const right = values[p] > threshold ? 1 : 0;
        sides[(y[i] << 1) | right] += weight[i];
        nRight += right;
      }
    }
    return end - start - nRight;
  }

  proxy(): number {
    const sides = this.#sides;
    const k = this.nOutputs;
    let wl = 0;
    let wr = 0;
    for (let c = 0; c < k; c++) {
      wl += sides[2 * c];
      wr += sides[2 * c + 1];
    }
    if (this.kind === 'gini') {
      let sqL = 0;
      let sqR = 0;
      for (let c = 0; c < k; c++) {
        const a = sides[2 * c];
        const b = sides[2 * c + 1];
        sqL += a * a;
        sqR += b * b;
      }
      return -wr * (1 - sqR / (wr * wr)) - wl * (1 - sqL / (wl * wl));
    }
    return -wr * this.#impurityOf(sides, 1, 2, wr) - wl * this.#impurityOf(sides, 0, 2, wl);
  }

  keepBest(): void {
    this.#best.set(this.#sides);
  }

  bestImprovement(wTotal: number): number {
    const best = this.#best;
    let wl = 0;
    let wr = 0;
    for (let c = 0; c < this.nOutputs; c++) {
      wl += best[2 * c];
      wr += best[2 * c + 1];
    }
    const w = this.wNode;
    const impL = this.#impurityOf(best, 0, 2, wl);
    const impR = this.#impurityOf(best, 1, 2, wr);
    return (w / wTotal) * (this.impurity - (wr / w) * impR - (wl / w) * impL);
  }

  writeBestChild(side: 0 | 1, out: Float64Array, offset: number): void {
    for (let c = 0; c < this.nOutputs; c++) out[offset + c] = this.#best[2 * c + side];
  }

  /** Impurity of the counts `a[from]`, `a[from + step]`, ... (one per class) of total weight `w`. */
  #impurityOf(a: Float64Array, from: number, step: number, w: number): number {
    const k = this.nOutputs;
    if (this.kind === 'gini') {
      let sq = 0;
      for (let c = 0; c < k; c++) sq += a[from + c * step] * a[from + c * step];
      return 1 - sq / (w * w);
    }
    let ent = 0;
    for (let c = 0; c < k; c++) {
      const v = a[from + c * step];
      if (v > 0) ent -= (v / w) * Math.log2(v / w);
    }
    return ent;
  }
}

/**
 * Variance reduction (`squared_error`) or Friedman's score (`friedman_mse`) for the random splitter;
 * totals are [weight, Σ w·y, Σ w·y²].
 * @example
 * const c = new RandomVariance(Float64Array.of(1.5, 2), Float64Array.of(1, 1), 'squared_error');
 */
export class RandomVariance implements RandomSplitCriterion {
  readonly nOutputs = 1;
  readonly statsSize = 3;
  readonly sidesSize = 6;
  readonly nodeKernel: NodeKernel;
  wNode = 0;
  impurity = 0;
  #sum = 0;
  #sq = 0;
  // The last evaluated split's sides, then the kept one's.
  #wl = 0;
  #sl = 0;
  #ql = 0;
  #wr = 0;
  #sr = 0;
  #qr = 0;
  /** The kept split's sums as the kernel writes them, [wl, wr, sl, sr, ql, qr]; the kernel's {@link RandomSplitKernel.bestSides} once bound. */
  #best: Float64Array = new Float64Array(6);
  #kernel: RandomSplitKernel | null = null;

  constructor(
    private readonly y: Float64Array,
    private readonly weight: Float64Array,
    private readonly kind: 'squared_error' | 'friedman_mse',
  ) {
    this.nodeKernel = { kind, weighted: true };
  }

  totalsOf(samples: Int32Array, start: number, end: number, out: Float64Array, offset: number): void {
    const { y, weight } = this;
    let w = 0;
    let s = 0;
    let q = 0;
    for (let p = start; p < end; p++) {
      const i = samples[p];
      const wy = weight[i] * y[i];
      w += weight[i];
      s += wy;
      q += wy * y[i];
    }
    out[offset] = w;
    out[offset + 1] = s;
    out[offset + 2] = q;
  }

  load(stats: Float64Array, offset: number): void {
    const w = stats[offset];
    this.wNode = w;
    this.#sum = stats[offset + 1];
    this.#sq = stats[offset + 2];
    this.impurity = Math.max(0, this.#sq / w - (this.#sum / w) ** 2);
  }

  writeValue(out: Float64Array, offset: number): void {
    out[offset] = this.#sum / this.wNode;
  }

  bind(kernel: RandomSplitKernel): void {
    kernel.targets.set(this.y);
    kernel.weights.set(this.weight);
    this.#best = kernel.bestSides;
    this.#kernel = kernel;
  }

  evaluate(samples: Int32Array, values: Float32Array, start: number, end: number, threshold: number): number {
    const kernel = this.#kernel;
    if (kernel !== null) {
      const nLeft = kernel.variance(values, start, end, threshold);
      const sides = kernel.sides;
      this.#wl = sides[0];
      this.#wr = sides[1];
      this.#sl = sides[2];
      this.#sr = sides[3];
      this.#ql = sides[4];
      this.#qr = sides[5];
      return nLeft;
    }
    const { y, weight } = this;
    let wl = 0;
    let sl = 0;
    let ql = 0;
    let wr = 0;
    let sr = 0;
    let qr = 0;
    let nLeft = 0;
    for (let p = start; p < end; p++) {
      const i = samples[p];
      const w = weight[i];
      const wy = w * y[i];
      const wyy = wy * y[i];
      // Arithmetic instead of a branch: which side a sample falls on is as good as random.
      const left = values[p] <= threshold ? 1 : 0;
      const right = 1 - left;
      wl += left * w;
      sl += left * wy;
      ql += left * wyy;
      wr += right * w;
      sr += right * wy;
      qr += right * wyy;
      nLeft += left;
    }
    this.#wl = wl;
    this.#sl = sl;
    this.#ql = ql;
    this.#wr = wr;
    this.#sr = sr;
    this.#qr = qr;
    return nLeft;
  }

  proxy(): number {
    const wl = this.#wl;
    const wr = this.#wr;
    const sl = this.#sl;
    const sr = this.#sr;
    if (this.kind === 'friedman_mse') {
      const diff = wr * sl - wl * sr;
      return (diff * diff) / (wl * wr);
    }
    return (sl * sl) / wl + (sr * sr) / wr;
  }

  keepBest(): void {
    const best = this.#best;
    best[0] = this.#wl;
    best[1] = this.#wr;
    best[2] = this.#sl;
    best[3] = this.#sr;
    best[4] = this.#ql;
    best[5] = this.#qr;
  }

  bestImprovement(wTotal: number): number {
    const [wl, wr, sl, sr, ql, qr] = this.#best;
    const w = this.wNode;
    if (this.kind === 'friedman_mse') {
      // scikit-learn's FriedmanMSE.impurity_improvement: not scaled by the node's share of the root.
      const diff = wr * sl - wl * sr;
      return (diff * diff) / (wl * wr * w);
    }
    const impL = ql / wl - (sl / wl) ** 2;
    const impR = qr / wr - (sr / wr) ** 2;
    return (w / wTotal) * (this.impurity - (wr / w) * impR - (wl / w) * impL);
  }

  writeBestChild(side: 0 | 1, out: Float64Array, offset: number): void {
    out[offset] = this.#best[side];
    out[offset + 1] = this.#best[2 + side];
    out[offset + 2] = this.#best[4 + side];
  }
}
