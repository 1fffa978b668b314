import { compileModule, wasmApi } from '../linear/wasm/encoder.js';
import { PANELS_PER_STEP, RECORD_BYTES, type ScanKernel, scanKernels } from './distance-kernel.js';
import type { NeighborIndex } from './k-neighbors-base.js';
import { reducedDistance } from './kd-tree.js';
import { NeighborHeap } from './neighbor-heap.js';

/**
 * Brute-force Euclidean k-NN with the WebAssembly scan of distance-kernel.ts, giving exactly the
 * neighbours and distances of the plain loop (every training row's Σ(xⱼ − yⱼ)² into a heap ordered by
 * distance, then index).
 *
 * The scan ranks by s = ‖y‖² − 2x·y in float32, which is cheap (a matrix product on half-size data) but
 * inexact, more so for near-identical points. It only filters: a training row goes on to the exact
 * float64 Σ(xⱼ − yⱼ)² when s ≤ W − ‖x‖² + E, W the query's current k-th exact distance and E a bound on
 * |s − (exact − ‖x‖²)|. With u = 2⁻²⁴ (float32 rounding), rounding the inputs to float32 costs at most
 * 2u·Σ|2xⱼyⱼ| + u·‖y‖², the d + 1 float32 multiply-adds (d + 1)u·(‖y‖² + Σ|2xⱼyⱼ|), with Σ|2xⱼyⱼ| ≤
 * ‖x‖² + ‖y‖²: about u·((d + 3)‖x‖² + (2d + 6)‖y‖²) in all. The float64 roundings (the exact sum, ‖x‖²,
 * the threshold) are a further ~(3d + 10)·2⁻⁵³·(‖x‖² + ‖y‖²). E = 16(d + 4)·u·(‖x‖² + max‖y‖²) covers
 * both with room to spare, plus a term for float32 underflow (an absolute error ≤ 2⁻¹⁴⁹ per value and
 * operation, times a |xⱼ| or |yⱼ| ≤ 1 + ‖·‖²); the threshold is rounded up to float32. Every row that
 * could enter the heap passes the filter, and the heap sees the same exact distances as the plain loop,
 * so the result is the same. Queries whose norms could overflow float32 skip the filter and take the
 * plain loop.
 */

/** Queries per block (a multiple of 4): their packed rows stay in L1 while a train block streams by. */
const QUERY_BLOCK = 256;
/** Panels (4 training rows each) per scan call, a multiple of 8: the block stays in L2, and thresholds tighten between calls. */
const TRAIN_BLOCK = 64;
/** Beyond this ‖·‖², float32 values, s or the margin could overflow. */
const NORM_LIMIT = 1e30;
/** float32's unit roundoff, and a bound on the absolute error of a float32 value or operation near underflow. */
const U32 = 2 ** -24;
const TINY32 = 2 ** -140;

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
  /** The 4-queries × 2-panels kernel for batches, the 1 × 8 one for fewer than 4 queries. */
  scan4: ScanKernel;
  scan1: ScanKernel;
  f32: Float32Array;
  i32: Int32Array;
  /** Panels, padded to a multiple of 8 with rows that never pass. */
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
  const { f32, i32, rowBytes, panelBytes, pQueries, pRecords } = arena;
  const heaps = Array.from({ length: Math.min(m, QUERY_BLOCK) }, () => new NeighborHeap(k));
  const norms = new Float64Array(QUERY_BLOCK);
  const margins = new Float64Array(QUERY_BLOCK);
  const slack = 16 * (d + 4) * U32;
  const tiny = 8 * (d + 4) * TINY32;
  for (let start = 0; start < m; start += QUERY_BLOCK) {
    const count = Math.min(QUERY_BLOCK, m - start);
    // Lanes used per group: 4 in a batch, 1 (a group per query) for fewer than 4 queries.
    const lanes = count < 4 ? 1 : 4;
    const groups = Math.ceil(count / lanes);
    // Query i's threshold (f32 index) and packed values: group i / lanes, lane i % lanes.
    const slot = (i: number) => arena.pThresholds / 4 + (i - (i % lanes)) * (4 / lanes) + (i % lanes);
    f32.fill(Number.NaN, arena.pThresholds / 4, arena.pThresholds / 4 + 4 * groups);
    for (let i = 0; i < groups * lanes; i++) {
      const q = (start + i) * d;
      const at = pQueries / 4 + Math.floor(i / lanes) * 4 * d + (i % lanes);
      for (let j = 0; j < d; j++) f32[at + 4 * j] = i < count ? -2 * queries[q + j] : 0;
      if (i >= count) continue;
      // The first k rows fill the heap, so thresholds are finite from the first scan on.
      const heap = heaps[i];
      heap.reset();
      for (let t = 0; t < k; t++) heap.push(reducedDistance(data, t * d, queries, q, d, 2), t);
      norms[i] = _squaredNorm(queries, q, d);
      margins[i] = slack * (norms[i] + arena.maxNorm) + tiny * (2 + norms[i] + arena.maxNorm);
      if (norms[i] <= NORM_LIMIT) f32[slot(i)] = _upTo32(heap.worst() - norms[i] + margins[i]);
      else for (let t = k; t < n; t++) _offer(heap, data, queries, q, d, t);
    }
    const scan = lanes === 4 ? arena.scan4 : arena.scan1;
    const panels = PANELS_PER_STEP[lanes];
    for (let panel = 0; panel < arena.nPanels; panel += TRAIN_BLOCK) {
      const pt = panel * panelBytes;
      const tEnd = pt + Math.min(TRAIN_BLOCK, arena.nPanels - panel) * panelBytes;
      const recordsEnd = scan(pQueries, pQueries + groups * rowBytes, pt, tEnd, arena.pThresholds, pRecords, rowBytes);
      for (let r = pRecords; r < recordsEnd; r += RECORD_BYTES) {
        const row0 = (i32[r / 4] / panelBytes) * 4;
        const query0 = ((i32[r / 4 + 1] - pQueries) / rowBytes) * lanes;
        for (let lane = 0; lane < lanes; lane++) {
          const i = query0 + lane;
          const threshold = f32[slot(i)];
          let changed = false;
          for (let v = 0; v < 4 * panels; v++) {
            const t = row0 + v;
            if (f32[r / 4 + 4 + 4 * panels * lane + v] <= threshold && t >= k && t < n) changed = _offer(heaps[i], data, queries, (start + i) * d, d, t) || changed;
          }
          if (changed) f32[slot(i)] = _upTo32(heaps[i].worst() - norms[i] + margins[i]);
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
  const nPanels = Math.ceil(n / 32) * 8;
  const rowBytes = 16 * d;
  const panelBytes = 16 + rowBytes;
  const pQueries = nPanels * panelBytes;
  // A block packs at most QUERY_BLOCK / 4 groups (4 lanes each, or fewer than 4 one-lane groups).
  const pThresholds = pQueries + (QUERY_BLOCK / 4) * rowBytes;
  const pRecords = pThresholds + 4 * QUERY_BLOCK;
  // At most one record per step: (groups × panels) / 2 steps for a batch, fewer for the one-query kernel.
  const size = pRecords + (QUERY_BLOCK / 4) * (TRAIN_BLOCK / 2) * RECORD_BYTES;
  const wasm = wasmApi();
  let memory: { buffer: ArrayBuffer };
  let exports: Record<string, unknown>;
  try {
    memory = new wasm.Memory({ initial: Math.ceil(size / 65536) });
    exports = new wasm.Instance(module, { m: { mem: memory } }).exports;
  } catch {
    return null;
  }
  const f32 = new Float32Array(memory.buffer);
  // Padding rows of the last panel: ‖y‖² = Infinity keeps their s above every finite threshold.
  for (let t = 0; t < nPanels * 4; t++) {
    const at = (t >> 2) * (panelBytes / 4) + (t & 3);
    f32[at] = t < n ? norms[t] : Number.POSITIVE_INFINITY;
    for (let j = 0; j < d; j++) f32[at + 4 + 4 * j] = t < n ? data[t * d + j] : 0;
  }
  return {
    scan4: exports.scan4x2 as ScanKernel,
    scan1: exports.scan1x8 as ScanKernel,
    f32,
    i32: new Int32Array(memory.buffer),
    nPanels,
    panelBytes,
    rowBytes,
    maxNorm,
    pQueries,
    pThresholds,
    pRecords,
  };
}

const _bits = new Float32Array(1);
const _bitsInt = new Int32Array(_bits.buffer);

/** The least float32 ≥ x (the scan's threshold must not shrink); NaN stays NaN. */
function _upTo32(x: number): number {
  _bits[0] = x;
  if (!(_bits[0] < x)) return _bits[0];
  if (_bits[0] === 0) return 2 ** -149;
  // One step away from zero for a positive value, towards it for a negative one.
  _bitsInt[0] += _bits[0] > 0 ? 1 : -1;
  return _bits[0];
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
