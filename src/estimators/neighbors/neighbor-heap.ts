/**
 * The k best (smallest) distances seen so far, as a max-heap on preallocated typed arrays: one per
 * search, reused for every query row, so a batch query allocates nothing per row.
 * @example
 * const heap = new NeighborHeap(3); heap.reset(); heap.push(0.5, 7); heap.worst(); // Infinity until full
 */
export class NeighborHeap {
  readonly dist: Float64Array;
  readonly index: Int32Array;
  size = 0;

  constructor(readonly k: number) {
    this.dist = new Float64Array(k);
    this.index = new Int32Array(k);
  }

  /** Empties the heap for the next query. */
  reset(): void {
    this.size = 0;
  }

  /** The distance a candidate must beat: the k-th best so far, or Infinity while fewer than k are held. */
  worst(): number {
    return this.size < this.k ? Infinity : this.dist[0];
  }

  /** Offers a candidate; kept when it beats the worst one held (ties broken by the lower index). */
  push(d: number, i: number): void {
    const dist = this.dist;
    const index = this.index;
    if (this.size < this.k) {
      let at = this.size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!_worse(d, i, dist[parent], index[parent])) break;
        dist[at] = dist[parent];
        index[at] = index[parent];
        at = parent;
      }
      dist[at] = d;
      index[at] = i;
      return;
    }
    if (!_worse(dist[0], index[0], d, i)) return;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.k) break;
      const right = left + 1;
      const child = right < this.k && _worse(dist[right], index[right], dist[left], index[left]) ? right : left;
      if (!_worse(dist[child], index[child], d, i)) break;
      dist[at] = dist[child];
      index[at] = index[child];
      at = child;
    }
    dist[at] = d;
    index[at] = i;
  }

  /** Writes the held neighbours, nearest first, into `dist`/`index` at `offset`, and empties the heap. */
  drainSorted(outDist: Float64Array, outIndex: Int32Array, offset: number): void {
    // Heap order to ascending: repeatedly move the root (the farthest) to the end.
    for (let end = this.size - 1; end >= 0; end--) {
      outDist[offset + end] = this.dist[0];
      outIndex[offset + end] = this.index[0];
      const d = this.dist[end];
      const i = this.index[end];
      this.size = end;
      if (end === 0) break;
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        if (left >= end) break;
        const right = left + 1;
        const child = right < end && _worse(this.dist[right], this.index[right], this.dist[left], this.index[left]) ? right : left;
        if (!_worse(this.dist[child], this.index[child], d, i)) break;
        this.dist[at] = this.dist[child];
        this.index[at] = this.index[child];
        at = child;
      }
      this.dist[at] = d;
      this.index[at] = i;
    }
  }
}

/** True when (d1, i1) ranks after (d2, i2): farther, or as far with a higher index. */
function _worse(d1: number, i1: number, d2: number, i2: number): boolean {
  return d1 > d2 || (d1 === d2 && i1 > i2);
}
