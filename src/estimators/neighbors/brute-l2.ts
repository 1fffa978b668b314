import { compileModule, wasmApi } from '../linear/wasm/encoder.js';
import { RECORD_BYTES, type ScanKernel, scanKernels } from './distance-kernel.js';
import type { NeighborIndex } from './k-neighbors-base.js';
import { reducedDistance } from './kd-tree.js';
import { NeighborHeap } from './neighbor-heap.js';

/**
 * Brute-force Euclidean k-NN with the WebAssembly scan of distance-kernel.ts, giving exactly the
 * neighbours and distances of the plain loop (every training row's Σ(xⱼ − yⱼ)² into a heap ordered by
 * distance, then index).
 *
 * The scan ranks by s = ‖y‖² − 2x·y, which is cheap (a matrix product) but inexact for near-identical
 * points. It only filters: a training row goes on to the exact Σ(xⱼ − yⱼ)² when s ≤ W − ‖x‖² + E, W the
 * query's current k-th exact distance and E a bound on |s − (exact − ‖x‖²)|: the rounding of s (d + 1
 * terms, each at most ‖x‖² + ‖y‖² in size), of the exact sum, of ‖x‖² and of the threshold itself,
 * 16(d + 2)·ε·(‖x‖² + max‖y‖²) with room to spare, plus a term for subnormal results. Every row that
 * could enter the heap passes the filter, and the heap sees the same exact distances as the plain loop,
 * so the result is the same. Queries whose norms could overflow skip the filter and take the plain loop.
 */

/** Queries per block (a multiple of 4): their packed rows stay in L1 while a train block streams by. */
const QUERY_BLOCK = 256;
/** Panels (4 training rows each) per scan call, a multiple of 4: the block stays in L2, and thresholds tighten between calls. */
const TRAIN_BLOCK = 64;
/** Beyond this ‖·‖², s and the margin could overflow. */
const NORM_LIMIT = 1e300;

let compiled: object | null | undefined;
let enabled = true;

/**
 * Turns the WebAssembly scan off (false) or back on, so tests can compare it with the plain loop; returns
 * whether it is available at all.
 * @example
 * setBruteScanWasm(false); // brute-force k-NN now runs the plain loop
 */
export function setBruteScanWasm(on: boolean): boolean {
  enabled = on;
  return _module() !== null;
}

function _module(): object | null {
  if (compiled === undefined) compiled = compileModule(scanKernels);
  return compiled;
}

/** The training rows packed into one memory with the scan's buffers, built on a fitted index's first query. */
interface _Arena {
  /** The 4-queries × 1-panel kernel for batches, the 1 × 4 one for fewer than 4 queries. */
  scan4: ScanKernel;
  scan1: ScanKernel;
  f64: Float64Array;
  i32: Int32Array;
  /** Panels, padded to a multiple of 4 with rows that never pass. */
  nPanels: number;
  /** Bytes per panel, and per query group (the features only). */
  panelBytes: number;
  rowBytes: number;
  maxNorm: number;
  pQueries: number;
  pThresholds: number;
  pRecords: number;
}

const _arenas = new WeakMap<NeighborIndex, _Arena | null>();

/**
 * The `k` nearest training rows (Euclidean) of each of the `m` row-major `queries`, nearest first, into
 * `distances` (squared) and `indices` at i·k; false (nothing written) when WebAssembly SIMD is unavailable.
 * @example
 * if (!bruteKneighborsL2(index, queries, m, k, distances, indices)) plainLoop();
 */
export function bruteKneighborsL2(index: NeighborIndex, queries: Float64Array, m: number, k: number, distances: Float64Array, indices: Int32Array): boolean {
  const arena = enabled ? _arena(index) : null;
  if (arena === null) return false;
  const { data, nRows: n, nFeatures: d } = index;
  const { f64, i32, rowBytes, panelBytes, pQueries, pRecords } = arena;
  const heaps = Array.from({ length: Math.min(m, QUERY_BLOCK) }, () => new NeighborHeap(k));
  const norms = new Float64Array(QUERY_BLOCK);
  const margins = new Float64Array(QUERY_BLOCK);
  const slack = 16 * (d + 2) * Number.EPSILON;
  const tiny = 8 * (d + 2) * Number.MIN_VALUE;
  for (let start = 0; start < m; start += QUERY_BLOCK) {
    const count = Math.min(QUERY_BLOCK, m - start);
    // Lanes used per group: 4 in a batch, 1 (a group per query) for fewer than 4 queries.
    const lanes = count < 4 ? 1 : 4;
    const groups = Math.ceil(count / lanes);
    // Query i's threshold (f64 index) and packed values: group i / lanes, lane i % lanes.
    const slot = (i: number) => arena.pThresholds / 8 + (i - (i % lanes)) * (4 / lanes) + (i % lanes);
    f64.fill(Number.NaN, arena.pThresholds / 8, arena.pThresholds / 8 + 4 * groups);
    for (let i = 0; i < groups * lanes; i++) {
      const q = (start + i) * d;
      const at = pQueries / 8 + Math.floor(i / lanes) * 4 * d + (i % lanes);
      for (let j = 0; j < d; j++) f64[at + 4 * j] = i < count ? -2 * queries[q + j] : 0;
      if (i >= count) continue;
      // The first k rows fill the heap, so thresholds are finite from the first scan on.
      const heap = heaps[i];
      heap.reset();
      for (let t = 0; t < k; t++) heap.push(reducedDistance(data, t * d, queries, q, d, 2), t);
      norms[i] = _squaredNorm(queries, q, d);
      margins[i] = slack * (norms[i] + arena.maxNorm) + tiny;
      if (norms[i] <= NORM_LIMIT) f64[slot(i)] = heap.worst() - norms[i] + margins[i];
      else for (let t = k; t < n; t++) _offer(heap, data, queries, q, d, t);
    }
    const scan = lanes === 4 ? arena.scan4 : arena.scan1;
    const panels = 4 / lanes;
    for (let panel = 0; panel < arena.nPanels; panel += TRAIN_BLOCK) {
      const pt = panel * panelBytes;
      const tEnd = pt + Math.min(TRAIN_BLOCK, arena.nPanels - panel) * panelBytes;
      const recordsEnd = scan(pQueries, pQueries + groups * rowBytes, pt, tEnd, arena.pThresholds, pRecords, rowBytes);
      for (let r = pRecords; r < recordsEnd; r += RECORD_BYTES) {
        const row0 = (i32[r / 4] / panelBytes) * 4;
        const query0 = ((i32[r / 4 + 1] - pQueries) / rowBytes) * lanes;
        for (let lane = 0; lane < lanes; lane++) {
          const i = query0 + lane;
          const threshold = f64[slot(i)];
          let changed = false;
          for (let v = 0; v < 4 * panels; v++) {
            const t = row0 + v;
            if (f64[r / 8 + 2 + 4 * panels * lane + v] <= threshold && t >= k && t < n) changed = _offer(heaps[i], data, queries, (start + i) * d, d, t) || changed;
          }
          if (changed) f64[slot(i)] = heaps[i].worst() - norms[i] + margins[i];
        }
      }
    }
    for (let i = 0; i < count; i++) heaps[i].drainSorted(distances, indices, (start + i) * k);
  }
  return true;
}

/** The panels at address 0, then the query groups, thresholds and records; null where it cannot be built. */
function _arena(index: NeighborIndex): _Arena | null {
  let arena = _arenas.get(index);
  if (arena !== undefined) return arena;
  arena = _buildArena(index);
  _arenas.set(index, arena);
  return arena;
}

function _buildArena(index: NeighborIndex): _Arena | null {
  const module = _module();
  const { data, nRows: n, nFeatures: d } = index;
  const norms = new Float64Array(n);
  let maxNorm = 0;
  for (let t = 0; t < n; t++) {
    norms[t] = _squaredNorm(data, t * d, d);
    if (!(norms[t] <= maxNorm)) maxNorm = norms[t];
  }
  if (module === null || !(maxNorm <= NORM_LIMIT)) return null;
  const nPanels = Math.ceil(n / 16) * 4;
  const rowBytes = 32 * d;
  const panelBytes = 32 + rowBytes;
  const pQueries = nPanels * panelBytes;
  // A block packs at most QUERY_BLOCK / 4 groups (4 lanes each, or fewer than 4 one-lane groups).
  const pThresholds = pQueries + (QUERY_BLOCK / 4) * rowBytes;
  const pRecords = pThresholds + 8 * QUERY_BLOCK;
  // At most one record per step: (groups × panels) / 4 either way.
  const size = pRecords + (QUERY_BLOCK / 4) * TRAIN_BLOCK * RECORD_BYTES;
  const wasm = wasmApi();
  let memory: { buffer: ArrayBuffer };
  let exports: Record<string, unknown>;
  try {
    memory = new wasm.Memory({ initial: Math.ceil(size / 65536) });
    exports = new wasm.Instance(module, { m: { mem: memory } }).exports;
  } catch {
    return null;
  }
  const f64 = new Float64Array(memory.buffer);
  // Padding rows of the last panel: ‖y‖² = Infinity keeps their s above every finite threshold.
  for (let t = 0; t < nPanels * 4; t++) {
    const at = (t >> 2) * (panelBytes / 8) + (t & 3);
    f64[at] = t < n ? norms[t] : Number.POSITIVE_INFINITY;
    for (let j = 0; j < d; j++) f64[at + 4 + 4 * j] = t < n ? data[t * d + j] : 0;
  }
  return { scan4: exports.scan4x1 as ScanKernel, scan1: exports.scan1x4 as ScanKernel, f64, i32: new Int32Array(memory.buffer), nPanels, panelBytes, rowBytes, maxNorm, pQueries, pThresholds, pRecords };
}

/** Σ aⱼ² over the d values from `off`, summed in order. */
function _squaredNorm(a: Float64Array, off: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[off + j] * a[off + j];
  return s;
}

/** Pushes training row t when its exact distance to the query at `q` is within the heap's reach. */
function _offer(heap: NeighborHeap, data: Float64Array, queries: Float64Array, q: number, d: number, t: number): boolean {
  const dist = reducedDistance(data, t * d, queries, q, d, 2);
  if (dist > heap.worst()) return false;
  heap.push(dist, t);
  return true;
}
