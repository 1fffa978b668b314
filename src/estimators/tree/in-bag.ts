/**
 * A tree's own copy of its in-bag rows (weight > 0), renumbered 0..m-1 in increasing original row
 * order: dense columns, weights and presorted lists of the new row numbers. A bootstrap tree holds
 * about 63% of the rows; its scans and regroups read values, classes, weights and labels at random
 * rows, so the smaller arrays keep more of those reads in cache. The lists are the shared presort,
 * filtered and renumbered, so their order (ties in row order) is the one the full rows would give,
 * and the trees stay bit-identical.
 * @example
 * const bag = inBagRows(columns, weight, presorted, m);
 * bag.columns[0].length === m;
 */
export interface InBagRows {
  readonly columns: Float64Array[];
  readonly weight: Float64Array;
  readonly presorted: Int32Array[];
  /** Original row of each new row number. */
  readonly rows: Int32Array;
}

/**
 * Builds the {@link InBagRows} of the `m` rows with `weight > 0`.
 * @example
 * const bag = inBagRows(columns, weight, presorted, m);
 */
export function inBagRows(columns: readonly Float64Array[], weight: Float64Array, presorted: readonly Int32Array[], m: number): InBagRows {
  const n = weight.length;
  const rows = new Int32Array(m);
  // New number of each in-bag row (-1 out of the bag; the filter below writes it only to its spare slot).
  const renumber = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (weight[i] > 0) {
      rows[k] = i;
      renumber[i] = k++;
    } else renumber[i] = -1;
  }
  const inBag = new Uint8Array(n);
  for (let i = 0; i < n; i++) inBag[i] = renumber[i] >= 0 ? 1 : 0;
  const compactWeight = new Float64Array(m);
  for (let j = 0; j < m; j++) compactWeight[j] = weight[rows[j]];
  const compactColumns = columns.map((col) => {
    const out = new Float64Array(m);
    for (let j = 0; j < m; j++) out[j] = col[rows[j]];
    return out;
  });
  const compactLists = presorted.map((full) => {
    // Branch-free: every row is written, and only an in-bag one advances (the spare slot takes the tail).
    const out = new Int32Array(m + 1);
    let q = 0;
    for (let p = 0; p < n; p++) {
      const i = full[p];
      out[q] = renumber[i];
      q += inBag[i];
    }
    return out.subarray(0, m);
  });
  return { columns: compactColumns, weight: compactWeight, presorted: compactLists, rows };
}

/**
 * `values` at the rows of an {@link InBagRows}, in new row order.
 * @example
 * const yBag = pickRows(y, bag.rows, new Int32Array(bag.rows.length));
 */
export function pickRows<T extends Int32Array | Float64Array>(values: T, rows: Int32Array, out: T): T {
  for (let j = 0; j < rows.length; j++) out[j] = values[rows[j]];
  return out;
}
