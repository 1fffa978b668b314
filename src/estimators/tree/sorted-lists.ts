/**
 * The samples of the node being split, once per feature, sorted by that feature's value (ties in row
 * order): the presorted columns, stably partitioned as the tree splits, so no node sorts again.
 *
 * A forest node evaluates only max_features of the features, so with `lazy` (depth-first growth) a
 * list is partitioned only when a node draws its feature: one stable pass over the range of the
 * nearest ancestor whose list was in order sends every sample to the range of the unsplit node that
 * holds it, which puts that list in order for the node and for every pending node of that range at
 * once. Each sample's `label` (the start of the range of its unsplit node) says where it goes.
 * Feature 0 is partitioned at every split, as the node totals are summed in its order; the split's
 * own feature comes out partitioned for free (it is ordered left | right by value).
 * @example
 * const lists = new SortedLists(ownCopiesOfPresorted, m, true);
 * lists.enter(0, m, 0); lists.ensure(3); lists.get(3); // root samples sorted by feature 3
 */
export class SortedLists {
  readonly #lists: Int32Array[];
  readonly #nFeatures: number;
  readonly #lazy: boolean;
  /** By row: the start of the range of the unsplit node holding the sample. */
  readonly #label: Int32Array;
  /** By position: the next free slot of the node whose range starts there, during a regroup. */
  readonly #cursor: Int32Array;
  readonly #tmp: Int32Array;
  /** By position: the regroup that last set that cursor (so each regroup starts its cursors afresh). */
  readonly #stamp: Int32Array;
  #epoch = 0;
  // Pending nodes, pushed and popped in the depth-first builder's order: their start and, per
  // feature, whether their range of that list is in order.
  #pendingStart = new Int32Array(64);
  #pendingSorted: Uint8Array;
  #pendingCount = 0;
  // The node being split and its ancestors, by depth: range and which lists are in order there.
  #pathStart = new Int32Array(64);
  #pathEnd = new Int32Array(64);
  #pathSorted: Uint8Array;
  #depth = 0;

  /**
   * `lists` holds the tree's own argsorts of its `m` rows (they are partitioned in place). Without
   * `lazy` every split partitions every list (best-first growth visits nodes out of depth-first order,
   * and a tree that tries every feature at every node needs them all).
   */
  constructor(lists: Int32Array[], m: number, lazy: boolean) {
    this.#lists = lists;
    this.#nFeatures = lists.length;
    this.#lazy = lazy;
    this.#label = new Int32Array(m);
    this.#cursor = new Int32Array(m);
    this.#tmp = new Int32Array(m);
    this.#stamp = new Int32Array(lazy ? m : 0);
    this.#pendingSorted = new Uint8Array(64 * this.#nFeatures);
    this.#pathSorted = new Uint8Array(64 * this.#nFeatures);
    // The root is pending, with every list in order.
    this.#pendingSorted.fill(1, 0, this.#nFeatures);
    this.#pendingCount = 1;
  }

  /** The list of feature `f`; in order over the current node's range once {@link ensure}d (always for feature 0). */
  get(f: number): Int32Array {
    return this.#lists[f];
  }

  /** Depth-first growth: the builder popped the next pending node, at `[start, end)` and `depth`. */
  enter(start: number, end: number, depth: number): void {
    if (!this.#lazy) return;
    const nF = this.#nFeatures;
    if (depth >= this.#pathStart.length) {
      this.#pathStart = _grown(this.#pathStart, depth + 1);
      this.#pathEnd = _grown(this.#pathEnd, depth + 1);
      this.#pathSorted = _grown(this.#pathSorted, (depth + 1) * nF);
    }
    const slot = --this.#pendingCount;
    this.#pathSorted.set(this.#pendingSorted.subarray(slot * nF, slot * nF + nF), depth * nF);
    this.#pathStart[depth] = start;
    this.#pathEnd[depth] = end;
    this.#depth = depth;
  }

  /** Puts the list of feature `f` in order over the current node's range. */
  ensure(f: number): void {
    if (!this.#lazy) return;
    const nF = this.#nFeatures;
    const sorted = this.#pathSorted;
    const d = this.#depth;
    if (sorted[d * nF + f] === 1) return;
    let a = d - 1;
    while (sorted[a * nF + f] === 0) a--; // the root's lists are in order
    const a0 = this.#pathStart[a];
    const a1 = this.#pathEnd[a];
    this.#regroup(this.#lists[f], a0, a1);
    sorted[d * nF + f] = 1;
    const pendingStart = this.#pendingStart;
    // Pending nodes inside [a0, a1) were pushed after that ancestor was entered: the top of the stack.
    for (let s = this.#pendingCount - 1; s >= 0 && pendingStart[s] >= a0 && pendingStart[s] < a1; s--) this.#pendingSorted[s * nF + f] = 1;
  }

  /**
   * Splits the current node `[start, end)` on `feature` (whose list is in order there) at `pos`; with
   * `lazy`, makes its two children pending (right first, so the left one is popped first).
   */
  split(start: number, end: number, pos: number, feature: number): void {
    const label = this.#label;
    const chosen = this.#lists[feature];
    for (let p = pos; p < end; p++) label[chosen[p]] = pos;
    const nF = this.#nFeatures;
    if (!this.#lazy) {
      for (let f = 0; f < nF; f++) if (f !== feature) this.#partition(this.#lists[f], start, end, pos);
      return;
    }
    if (feature !== 0) this.#partition(this.#lists[0], start, end, pos);
    this.#push(pos, feature);
    this.#push(start, feature);
  }

  #push(start: number, feature: number): void {
    const nF = this.#nFeatures;
    const slot = this.#pendingCount++;
    if (slot >= this.#pendingStart.length) {
      this.#pendingStart = _grown(this.#pendingStart, slot + 1);
      this.#pendingSorted = _grown(this.#pendingSorted, (slot + 1) * nF);
    }
    this.#pendingStart[slot] = start;
    this.#pendingSorted.fill(0, slot * nF, slot * nF + nF);
    this.#pendingSorted[slot * nF] = 1;
    this.#pendingSorted[slot * nF + feature] = 1;
  }

  /** Stable two-way partition of `idx[start..end)`: samples labelled left of `pos` first. */
  #partition(idx: Int32Array, start: number, end: number, pos: number): void {
    const label = this.#label;
    const tmp = this.#tmp;
    let l = start;
    let r = pos;
    for (let p = start; p < end; p++) {
      const i = idx[p];
      if (label[i] < pos) idx[l++] = i;
      else tmp[r++] = i;
    }
    for (let p = pos; p < end; p++) idx[p] = tmp[p];
  }

  /** Stable pass over `idx[a0..a1)` moving each sample into the range of its unsplit node. */
  #regroup(idx: Int32Array, a0: number, a1: number): void {
    const label = this.#label;
    const cursor = this.#cursor;
    const stamp = this.#stamp;
    const tmp = this.#tmp;
    const epoch = ++this.#epoch;
    for (let p = a0; p < a1; p++) {
      const i = idx[p];
      const l = label[i];
      if (stamp[l] !== epoch) {
        stamp[l] = epoch;
        cursor[l] = l;
      }
      tmp[cursor[l]++] = i;
    }
    for (let p = a0; p < a1; p++) idx[p] = tmp[p];
  }
}

function _grown<T extends Int32Array | Uint8Array>(array: T, atLeast: number): T {
  const out = new (array.constructor as new (length: number) => T)(Math.max(atLeast, 2 * array.length));
  out.set(array);
  return out;
}
