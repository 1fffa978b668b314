import { compileModule, F64, I32, op, V128, type WasmFunction, wasmApi } from '../linear/wasm/encoder.js';
import { buildHistogram, FEATURE_SPAN, fillCountSlots, HIST_STRIDE, histogramLength, type PackedBins } from './hgb-histogram.js';
import { splitScan } from './hgb-split-wasm.js';

/**
 * The histogram pass of the boosting fit (hgb-histogram.ts's loops) as WebAssembly: no bounds check per
 * access, and gradient and hessian added to a bin with one f64x2 load/add/store. Each lane is the same
 * IEEE addition in the same row order as the JavaScript loop, so histograms (and models) are
 * bit-identical. Bins, row order, gradients, hessians and a pool of histograms live in one memory, seen
 * from JavaScript as typed-array views, so nothing is copied per node.
 */

const { get, set, tee, i32, i32Add, i32Mul, i32GeU, f64Add, f64Load, f64Store, f64x2Splat, f64x2Add, loopStart, brIfOut, loopEnd } = op;
const { i32ShrU, i32And, f64x2Sub, i32Sub, i32Xor, i32Shl, v128LoadAt, v128StoreAt, f64x2ReplaceLane } = op;
const i32Load = op.i32Load();
const i32Load8U = op.i32Load8U();
const i32Store = op.i32Store();
const f64x2ReplaceLane1 = f64x2ReplaceLane(1);
const f64One = op.f64Const(1);
/** Bytes of one feature's histogram, and of the four features of one packed word. */
const FEATURE_BYTES = FEATURE_SPAN * 8;
const WORD_BYTES = 4 * FEATURE_BYTES;

/**
 * hist(pHist, pWords, nWords, rowWords, pOrder, start, end, pG, pH): adds rows order[start..end) to the
 * zeroed histogram at pHist over `nWords` packed words from pWords (rows `rowWords` words apart) —
 * gradient (and hessian when `hessians`) per bin, and +1 per bin when `counts`.
 */
function _histKernel(name: string, hessians: boolean, counts: boolean): WasmFunction {
  // Parameter 4 (the order array's address) becomes the running address k of order[k]; nWords and
  // rowWords become byte counts.
  const [pHist, pWords, nWordBytes, rowBytes, pOrder, start, kEnd, pG, pH, i, r, rEnd, b, w, a, gh] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const k = pOrder;
  const update = (j: number) => {
    const byte = j === 3 ? [...get(w), ...i32(24), ...i32ShrU] : [...get(w), ...i32(8 * j), ...i32ShrU, ...i32(255), ...i32And];
    const off = j * FEATURE_BYTES;
    return [
      ...get(b),
      ...byte,
      ...i32(24),
      ...i32Mul,
      ...i32Add,
      ...tee(a),
      ...(hessians ? [...get(a), ...v128LoadAt(off), ...get(gh), ...f64x2Add, ...v128StoreAt(off)] : [...get(a), ...f64Load(off), ...get(gh), ...f64Add, ...f64Store(off)]),
      ...(counts ? [...get(a), ...get(a), ...f64Load(off + 16), ...f64One, ...f64Add, ...f64Store(off + 16)] : []),
    ];
  };
  const body = [
    // nWords → bytes per row; start, end → byte addresses in the order array.
    ...get(nWordBytes),
    ...i32(4),
    ...i32Mul,
    ...set(nWordBytes),
    ...get(rowBytes),
    ...i32(4),
    ...i32Mul,
    ...set(rowBytes),
    ...get(pOrder),
    ...get(kEnd),
    ...i32(4),
    ...i32Mul,
    ...i32Add,
    ...set(kEnd),
    ...get(pOrder),
    ...get(start),
    ...i32(4),
    ...i32Mul,
    ...i32Add,
    ...set(k),
    ...loopStart,
    ...get(k),
    ...get(kEnd),
    ...i32GeU,
    ...brIfOut,
    ...get(k),
    ...i32Load,
    ...set(i),
    ...get(pG),
    ...get(i),
    ...i32(8),
    ...i32Mul,
    ...i32Add,
    ...f64Load(0),
    ...(hessians ? [...f64x2Splat, ...get(pH), ...get(i), ...i32(8), ...i32Mul, ...i32Add, ...f64Load(0), ...f64x2ReplaceLane1] : []),
    ...set(gh),
    ...get(pWords),
    ...get(i),
    ...get(rowBytes),
    ...i32Mul,
    ...i32Add,
    ...tee(r),
    ...get(nWordBytes),
    ...i32Add,
    ...set(rEnd),
    ...get(pHist),
    ...set(b),
    ...loopStart,
    ...get(r),
    ...get(rEnd),
    ...i32GeU,
    ...brIfOut,
    ...get(r),
    ...i32Load,
    ...set(w),
    ...update(0),
    ...update(1),
    ...update(2),
    ...update(3),
    ...get(r),
    ...i32(4),
    ...i32Add,
    ...set(r),
    ...get(b),
    ...i32(WORD_BYTES),
    ...i32Add,
    ...set(b),
    ...loopEnd,
    ...get(k),
    ...i32(4),
    ...i32Add,
    ...set(k),
    ...loopEnd,
  ];
  return { name, params: new Array<number>(9).fill(I32), results: [], locals: [I32, I32, I32, I32, I32, I32, hessians ? V128 : F64], body };
}

/** subtract(pDst, pSrc, nBytes): dst[j] -= src[j] over nBytes (a multiple of 16), two lanes at a time. */
const _subtract: WasmFunction = (() => {
  const [pDst, pSrc, nBytes, j] = [0, 1, 2, 3];
  const body = [
    ...loopStart,
    ...get(j),
    ...get(nBytes),
    ...i32GeU,
    ...brIfOut,
    ...get(pDst),
    ...get(j),
    ...i32Add,
    ...tee(pDst),
    ...get(pDst),
    ...v128LoadAt(0),
    ...get(pSrc),
    ...get(j),
    ...i32Add,
    ...v128LoadAt(0),
    ...f64x2Sub,
    ...v128StoreAt(0),
    ...get(pDst),
    ...get(j),
    ...i32Sub,
    ...set(pDst),
    ...get(j),
    ...i32(16),
    ...i32Add,
    ...set(j),
    ...loopEnd,
  ];
  return { name: 'subtract', params: [I32, I32, I32], results: [], locals: [I32], body };
})();

/**
 * partition(pCol, pOrder, pTmp, start, end, bin) → mid: hgb-grower's branch-free partition of
 * order[start..end) by `col[i] <= bin` (left rows to the front in order, right rows to tmp from 0, both
 * in row order); returns the boundary index. The caller copies tmp's `end - mid` rows behind it.
 */
const _partition: WasmFunction = (() => {
  const [pCol, pOrder, pTmp, start, end, bin, p, pEnd, l, i, right] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const address = (index: number) => [...get(pOrder), ...get(index), ...i32(4), ...i32Mul, ...i32Add];
  const body = [
    ...address(start),
    ...tee(p),
    ...set(l),
    ...address(end),
    ...set(pEnd),
    ...loopStart,
    ...get(p),
    ...get(pEnd),
    ...i32GeU,
    ...brIfOut,
    ...get(p),
    ...i32Load,
    ...set(i),
    ...get(bin),
    ...get(pCol),
    ...get(i),
    ...i32Add,
    ...i32Load8U,
    ...i32Sub,
    ...i32(31),
    ...i32ShrU,
    ...set(right),
    ...get(l),
    ...get(i),
    ...i32Store,
    ...get(pTmp),
    ...get(i),
    ...i32Store,
    ...get(l),
    ...get(right),
    ...i32(1),
    ...i32Xor,
    ...i32(2),
    ...i32Shl,
    ...i32Add,
    ...set(l),
    ...get(pTmp),
    ...get(right),
    ...i32(2),
    ...i32Shl,
    ...i32Add,
    ...set(pTmp),
    ...get(p),
    ...i32(4),
    ...i32Add,
    ...set(p),
    ...loopEnd,
    ...get(l),
    ...get(pOrder),
    ...i32Sub,
    ...i32(2),
    ...i32ShrU,
  ];
  return { name: 'partition', params: new Array<number>(6).fill(I32), results: [I32], locals: new Array<number>(5).fill(I32), body };
})();

type _Kernel = (pHist: number, pWords: number, nWords: number, rowWords: number, pOrder: number, start: number, end: number, pG: number, pH: number) => void;

/** The memory handed to worker threads (a shared WebAssembly.Memory, cloned by postMessage). */
export type WasmMemory = { buffer: ArrayBuffer };

const compiled: (object | null | undefined)[] = [undefined, undefined];
let enabled = true;

/** The compiled module for a private (0) or shared (1) memory, or null where unavailable. */
function _module(shared: boolean): object | null {
  const slot = shared ? 1 : 0;
  if (compiled[slot] === undefined) {
    const functions = [
      _histKernel('ghc', true, true),
      _histKernel('gh', true, false),
      _histKernel('gc', false, true),
      _histKernel('g', false, false),
      _subtract,
      _partition,
      splitScan,
    ];
    compiled[slot] = compileModule(functions, shared);
  }
  return compiled[slot] ?? null;
}

/**
 * Turns the WebAssembly histogram kernel off (false) or back on, so tests can compare it with the
 * JavaScript loops; returns whether it is available at all.
 * @example
 * setHistogramWasm(false); // boosting fits now build histograms in JavaScript
 */
export function setHistogramWasm(on: boolean): boolean {
  enabled = on;
  return _module(false) !== null;
}

/**
 * Where a kernel's arrays sit in its memory (byte addresses), so a worker thread can view the same ones.
 * @example
 * const kernel = HistKernel.attach(memory, layout);
 */
export interface KernelLayout {
  n: number;
  nWords: number;
  words: number;
  /** Feature-major bin columns (n bytes each) and the partition's scratch (n int32). */
  bins: number[];
  tmp: number;
  order: number;
  g: number[];
  h: number[];
  histograms: number[];
  histogramDoubles: number;
  /** The split scan's best-so-far (3 f64 and an i32). */
  scanOut: number;
}

/**
 * One fit's WebAssembly memory: the packed bins, the row order, gradient and hessian buffers per output
 * and a pool of histograms, all typed-array views on it. A shared memory serves a {@link HistogramTeam}:
 * its workers attach to it and run the same kernel on their word ranges.
 * @example
 * const kernel = HistKernel.create(packed, bins, n, 3, true, 34, false);
 * if (kernel !== null && kernel.owns(hist)) kernel.build(hist, start, end, kernel.g[0], kernel.h[0], false);
 */
export class HistKernel {
  readonly memory: WasmMemory;
  readonly layout: KernelLayout;
  readonly packed: PackedBins;
  readonly bins: Uint8Array[];
  readonly order: Int32Array;
  readonly #tmp: Int32Array;
  readonly g: Float64Array[];
  readonly h: Float64Array[];
  /** Zero-filled histograms in this memory, for the grower's pool (a team takes one per worker). */
  readonly histograms: Float64Array[];
  readonly #buffer: ArrayBuffer;
  readonly #exports: Record<string, _Kernel>;
  readonly #scanOut: Float64Array;
  readonly #scanAt: Int32Array;

  private constructor(memory: WasmMemory, exports: Record<string, _Kernel>, layout: KernelLayout) {
    const buffer = memory.buffer;
    this.memory = memory;
    this.layout = layout;
    this.#buffer = buffer;
    this.#exports = exports;
    const { n, nWords } = layout;
    this.packed = { words: new Uint32Array(buffer, layout.words, n * nWords), nWords };
    this.bins = layout.bins.map((at) => new Uint8Array(buffer, at, n));
    this.#tmp = new Int32Array(buffer, layout.tmp, n);
    this.order = new Int32Array(buffer, layout.order, n);
    this.g = layout.g.map((at) => new Float64Array(buffer, at, n));
    this.h = layout.h.map((at) => new Float64Array(buffer, at, n));
    this.histograms = layout.histograms.map((at) => new Float64Array(buffer, at, layout.histogramDoubles));
    this.#scanOut = new Float64Array(buffer, layout.scanOut, 3);
    this.#scanAt = new Int32Array(buffer, layout.scanOut + 24, 1);
  }

  /**
   * A kernel over a copy of `packed` (n rows) with `k` gradient buffers, `k` hessian buffers (none
   * when `hessians` is false) and `nHistograms` histograms, on a memory shared between threads when
   * `shared`; null without WebAssembly SIMD (or shared memory), when switched off, or beyond 32-bit
   * addresses.
   */
  static create(packed: PackedBins, bins: readonly Uint8Array[], n: number, k: number, hessians: boolean, nHistograms: number, shared: boolean): HistKernel | null {
    const module = enabled ? _module(shared) : null;
    if (module === null) return null;
    let size = 0;
    const take = (bytes: number) => {
      const at = size;
      size += Math.ceil(bytes / 16) * 16;
      return at;
    };
    const histogramDoubles = histogramLength(packed.nWords);
    const layout: KernelLayout = {
      n,
      nWords: packed.nWords,
      words: take(n * packed.nWords * 4),
      bins: bins.map(() => take(n)),
      tmp: take(n * 4),
      order: take(n * 4),
      g: Array.from({ length: k }, () => take(n * 8)),
      h: Array.from({ length: hessians ? k : 0 }, () => take(n * 8)),
      histograms: Array.from({ length: nHistograms }, () => take(histogramDoubles * 8)),
      histogramDoubles,
      scanOut: take(32),
    };
    if (size > 2 ** 31 - 65536) return null;
    const wasm = wasmApi();
    const pages = Math.max(1, Math.ceil(size / 65536));
    let memory: WasmMemory;
    try {
      memory = new wasm.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
    } catch {
      return null;
    }
    const kernel = HistKernel.attach(memory, layout, shared);
    kernel.packed.words.set(packed.words);
    for (let f = 0; f < bins.length; f++) kernel.bins[f].set(bins[f]);
    return kernel;
  }

  /** The kernel on a memory made by {@link HistKernel.create} (in a worker thread: the shared one). */
  static attach(memory: WasmMemory, layout: KernelLayout, shared = true): HistKernel {
    const wasm = wasmApi();
    const instance = new wasm.Instance(_module(shared) as object, { m: { mem: memory } });
    return new HistKernel(memory, instance.exports as Record<string, _Kernel>, layout);
  }

  /** Whether this typed array is a view on the kernel's memory. */
  owns(array: Float64Array | Int32Array | Uint32Array | Uint8Array): boolean {
    return array.buffer === this.#buffer;
  }

  /**
   * buildHistogram for rows order[start..end) over words `[wordStart, wordEnd)` into `hist` (zeroed, in
   * this memory); `gradients` and `hessians` must be views on this memory. With `countsKnown` the count
   * slots are left for the caller to fill (fillCountSlots does that and the hessian slots of null hessians).
   */
  build(
    hist: Float64Array,
    start: number,
    end: number,
    gradients: Float64Array,
    hessians: Float64Array | null,
    countsKnown: boolean,
    wordStart = 0,
    wordEnd = this.packed.nWords,
  ): void {
    const name = (hessians === null ? 'g' : 'gh') + (countsKnown ? '' : 'c');
    const { words, nWords } = this.packed;
    this.#exports[name](
      hist.byteOffset + wordStart * WORD_BYTES,
      words.byteOffset + wordStart * 4,
      wordEnd - wordStart,
      nWords,
      this.order.byteOffset,
      start,
      end,
      gradients.byteOffset,
      hessians?.byteOffset ?? 0,
    );
  }

  /**
   * Moves the rows of order[start..end) whose bin in `col` (one of {@link bins}) is <= `bin` to the
   * front, keeping row order on both sides; returns the boundary.
   */
  partition(col: Uint8Array, start: number, end: number, bin: number): number {
    const mid = (this.#exports.partition as unknown as (c: number, o: number, t: number, s: number, e: number, b: number) => number)(
      col.byteOffset,
      this.order.byteOffset,
      this.#tmp.byteOffset,
      start,
      end,
      bin,
    );
    this.order.set(this.#tmp.subarray(0, end - mid), mid);
    return mid;
  }

  /**
   * HistGrower#findSplit's scan of bins `[0, nBins - 1)` of feature `f` of `hist` (in this memory): the
   * best gain above `best`, or `best` when no bin beats it ({@link scanned} then reads that bin's sums).
   */
  scan(hist: Float64Array, f: number, nBins: number, G: number, H: number, nNode: number, lossNode: number, l2: number, minSamplesLeaf: number, best: number): number {
    const from = hist.byteOffset + f * FEATURE_SPAN * 8;
    const scan = this.#exports.scan as unknown as (...args: number[]) => number;
    return scan(from, from + (nBins - 1) * HIST_STRIDE * 8, G, H, nNode, lossNode, l2, minSamplesLeaf, best, this.#scanOut.byteOffset);
  }

  /** The left sums and bin of the last gain {@link scan} improved on, feature `f` of `hist`. */
  scanned(hist: Float64Array, f: number): { gLeft: number; hLeft: number; nLeft: number; bin: number } {
    const out = this.#scanOut;
    return { gLeft: out[0], hLeft: out[1], nLeft: out[2], bin: (this.#scanAt[0] - hist.byteOffset - f * FEATURE_SPAN * 8) / (HIST_STRIDE * 8) };
  }

  /** `parent[j] -= small[j]` for every j (histogram subtraction), both histograms in this memory. */
  subtract(parent: Float64Array, small: Float64Array): void {
    (this.#exports.subtract as unknown as (d: number, s: number, n: number) => void)(parent.byteOffset, small.byteOffset, parent.byteLength);
  }
}

/**
 * buildHistogram (same arguments, same bits) by the kernel when `hist`, the gradients and hessians are
 * in its memory, else by the JavaScript loops.
 * @example
 * buildHistogramWith(kernel, hist, packed, 0, packed.nWords, order, node.start, node.end, g, h, null);
 */
export function buildHistogramWith(
  kernel: HistKernel | null,
  hist: Float64Array,
  packed: PackedBins,
  wordStart: number,
  wordEnd: number,
  order: Int32Array,
  start: number,
  end: number,
  gradients: Float64Array,
  hessians: Float64Array | null,
  counts: Float64Array | null,
): void {
  if (kernel?.owns(hist) && kernel.owns(gradients) && (hessians === null || kernel.owns(hessians)) && kernel.owns(order)) {
    kernel.build(hist, start, end, gradients, hessians, counts !== null, wordStart, wordEnd);
    fillCountSlots(hist, histogramLength(wordStart), histogramLength(wordEnd), hessians === null, counts);
  } else buildHistogram(hist, packed, wordStart, wordEnd, order, start, end, gradients, hessians, counts);
}
