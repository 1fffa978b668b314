import { describe, expect, it } from 'vitest';
import { argsortColumns } from './cart.js';
import { inBagRows } from './in-bag.js';
import { mulberry32 } from './prng.js';
import { SortedLists } from './sorted-lists.js';

// Grows a random depth-first tree over SortedLists, checking at every node that each list a node asks
// for holds exactly that node's samples, by value and ties in row order, as a fresh sort would.
function growAndCheck(lazy: boolean, seed: number): number {
  const random = mulberry32(seed);
  const n = 400;
  const nFeatures = 6;
  // Few distinct values, so ties are everywhere; some rows out of the bootstrap (weight 0).
  const allColumns = Array.from({ length: nFeatures }, () => Float64Array.from({ length: n }, () => Math.round(random() * 12) / 4));
  const weight = Float64Array.from({ length: n }, () => (random() < 0.3 ? 0 : 1 + Math.floor(random() * 3)));
  const m = weight.filter((w) => w > 0).length;
  // The tree's rows, renumbered in row order: ties in new row order are ties in original row order.
  const { columns, presorted, rows } = inBagRows(allColumns, weight, argsortColumns(allColumns), m);
  expect(Array.from(rows)).toEqual(Array.from({ length: n }, (_, i) => i).filter((i) => weight[i] > 0));
  const inBag = Array.from({ length: m }, (_, j) => j);
  const lists = new SortedLists(presorted, m, lazy);
  const bySorted = (f: number, rows: number[]) => [...rows].sort((a, b) => columns[f][a] - columns[f][b] || a - b);
  const stack = [{ start: 0, end: inBag.length, depth: 0, rows: inBag }];
  let checks = 0;
  while (stack.length > 0) {
    const node = stack.pop() as (typeof stack)[number];
    lists.enter(node.start, node.end, node.depth);
    expect(Array.from(lists.get(0).subarray(node.start, node.end))).toEqual(bySorted(0, node.rows));
    const drawn = Array.from({ length: 3 }, () => Math.floor(random() * nFeatures));
    for (const f of drawn) {
      lists.ensure(f);
      expect(Array.from(lists.get(f).subarray(node.start, node.end))).toEqual(bySorted(f, node.rows));
      checks++;
    }
    if (node.end - node.start < 2) continue;
    const feature = drawn[0];
    const pos = node.start + 1 + Math.floor(random() * (node.end - node.start - 1));
    const ordered = bySorted(feature, node.rows);
    lists.split(node.start, node.end, pos, feature);
    stack.push({ start: pos, end: node.end, depth: node.depth + 1, rows: ordered.slice(pos - node.start) });
    stack.push({ start: node.start, end: pos, depth: node.depth + 1, rows: ordered.slice(0, pos - node.start) });
  }
  return checks;
}

describe('SortedLists', () => {
  it('hands every node its samples in each feature order, partitioning lazily', () => {
    for (const seed of [1, 2, 3]) expect(growAndCheck(true, seed)).toBeGreaterThan(500);
  });

  it('hands every node its samples in each feature order, partitioning every split', () => {
    expect(growAndCheck(false, 4)).toBeGreaterThan(500);
  });
});
