import { encodeModule, F64, I32, op, uleb, V128, type WasmFunction } from '../linear/wasm/encoder.js';
import { FEATURE_SPAN, histogramLength, type PackedBins } from './hgb-histogram.js';

/**
 * The histogram pass of the boosting fit (hgb-histogram.ts's loops) as WebAssembly: no bounds check per
 * access, and gradient and hessian added to a bin with one f64x2 load/add/store. Each lane is the same
 * IEEE addition in the same row order as the JavaScript loop, so histograms (and models) are
 * bit-identical. Bins, row order, gradients, hessians and a pool of histograms live in one memory, seen
 * from JavaScript as typed-array views, so nothing is copied per node.
 */

const { get, set, tee, i32, i32Add, i32Mul, i32GeU, f64Add, f64Load, f64Store, f64x2Splat, f64x2Add, loopStart, brIfOut, loopEnd } = op;
const i32Load = [0x28, 0x02, 0x00];
const i32ShrU = [0x76];
const i32And = [0x71];
const f64x2ReplaceLane1 = [0xfd, 0x22, 0x01];
const v128LoadOff = (offset: number) => [0xfd, 0x00, 0x03, ...uleb(offset)];
const v128StoreOff = (offset: number) => [0xfd, 0x0b, 0x03, ...uleb(offset)];
const f64One = [0x44, ...new Uint8Array(Float64Array.of(1).buffer)];
/** Bytes of one feature's histogram, and of the four features of one packed word. */
const FEATURE_BYTES = FEATURE_SPAN * 8;
const WORD_BYTES = 4 * FEATURE_BYTES;

/**
 * hist(pHist, pWords, nWords, pOrder, start, end, pG, pH): adds rows order[start..end) to the zeroed
 * histogram at pHist — gradient (and hessian when `hessians`) per bin, and +1 per bin when `counts`.
 */
function _histKernel(name: string, hessians: boolean, counts: boolean): WasmFunction {
  // Parameter 3 (the order array's address) becomes the running address k of order[k].
  const [pHist, pWords, nWordBytes, pOrder, start, kEnd, pG, pH, i, r, rEnd, b, w, a, gh] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
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
      ...(hessians
        ? [...get(a), ...v128LoadOff(off), ...get(gh), ...f64x2Add, ...v128StoreOff(off)]
        : [...get(a), ...f64Load(off), ...get(gh), ...f64Add, ...f64Store(off)]),
      ...(counts ? [...get(a), ...get(a), ...f64Load(off + 16), ...f64One, ...f64Add, ...f64Store(off + 16)] : []),
    ];
  };
  const body = [
    // nWords → bytes per row; start, end → byte addresses in the order array.
    ...get(nWordBytes),
    ...i32(4),
    ...i32Mul,
    ...set(nWordBytes),
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
    ...get(nWordBytes),
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
  return { name, params: new Array<number>(8).fill(I32), results: [], locals: [I32, I32, I32, I32, I32, I32, hessians ? V128 : F64], body };
}

type _Kernel = (pHist: number, pWords: number, nWords: number, pOrder: number, start: number, end: number, pG: number, pH: number) => void;

interface _WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

let compiled: object | null | undefined;
let enabled = true;

function _module(): object | null {
  if (compiled === undefined) {
    const wasm = (globalThis as { WebAssembly?: _WasmApi }).WebAssembly;
    try {
      const bytes = encodeModule([
        _histKernel('ghc', true, true),
        _histKernel('gh', true, false),
        _histKernel('gc', false, true),
        _histKernel('g', false, false),
      ]);
      compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * Turns the WebAssembly histogram kernel off (false) or back on, so tests can compare it with the
 * JavaScript loops; returns whether it is available at all.
 * @example
 * setHistogramWasm(false); // boosting fits now build histograms in JavaScript
 */
export function setHistogramWasm(on: boolean): boolean {
  enabled = on;
  return _module() !== null;
}

/**
 * One single-threaded fit's WebAssembly memory: the packed bins, the row order, gradient and hessian
 * buffers per output and a pool of histograms, all typed-array views on it.
 * @example
 * const kernel = HistKernel.create(packed, n, 3, true, 34);
 * if (kernel !== null && kernel.owns(hist)) kernel.build(hist, start, end, kernel.g[0], kernel.h[0], false);
 */
export class HistKernel {
  readonly packed: PackedBins;
  readonly order: Int32Array;
  readonly g: Float64Array[];
  readonly h: Float64Array[];
  /** Zero-filled histograms in this memory, for the grower's pool. */
  readonly histograms: Float64Array[];
  readonly #buffer: ArrayBuffer;
  readonly #exports: Record<string, _Kernel>;

  private constructor(buffer: ArrayBuffer, exports: Record<string, _Kernel>, packed: PackedBins, order: Int32Array, g: Float64Array[], h: Float64Array[], histograms: Float64Array[]) {
    this.#buffer = buffer;
    this.#exports = exports;
    this.packed = packed;
    this.order = order;
    this.g = g;
    this.h = h;
    this.histograms = histograms;
  }

  /**
   * A kernel over a copy of `packed` (n rows) with `k` gradient buffers, `k` hessian buffers (empty
   * when `hessians` is false) and `nHistograms` histograms; null without WebAssembly SIMD, when switched
   * off, or when it would not fit in 32-bit addresses.
   */
  static create(packed: PackedBins, n: number, k: number, hessians: boolean, nHistograms: number): HistKernel | null {
    const module = enabled ? _module() : null;
    if (module === null) return null;
    const histBytes = histogramLength(packed.nWords) * 8;
    const sizes = [n * packed.nWords * 4, n * 4, ...new Array<number>(k).fill(n * 8), ...new Array<number>(hessians ? k : 0).fill(n * 8), ...new Array<number>(nHistograms).fill(histBytes)];
    const bytes = sizes.reduce((sum, s) => sum + Math.ceil(s / 16) * 16, 0);
    if (bytes > 2 ** 31 - 65536) return null;
    const wasm = (globalThis as unknown as { WebAssembly: _WasmApi }).WebAssembly;
    let memory: { buffer: ArrayBuffer };
    try {
      memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    } catch {
      return null;
    }
    const instance = new wasm.Instance(module, { m: { mem: memory } });
    const buffer = memory.buffer;
    let at = 0;
    const take = (size: number) => {
      const from = at;
      at += Math.ceil(size / 16) * 16;
      return from;
    };
    const words = new Uint32Array(buffer, take(sizes[0]), n * packed.nWords);
    words.set(packed.words);
    const order = new Int32Array(buffer, take(n * 4), n);
    const g = Array.from({ length: k }, () => new Float64Array(buffer, take(n * 8), n));
    const h = Array.from({ length: hessians ? k : 0 }, () => new Float64Array(buffer, take(n * 8), n));
    const histograms = Array.from({ length: nHistograms }, () => new Float64Array(buffer, take(histBytes), histBytes / 8));
    return new HistKernel(buffer, instance.exports as Record<string, _Kernel>, { words, nWords: packed.nWords }, order, g, h, histograms);
  }

  /** Whether this typed array is a view on the kernel's memory. */
  owns(array: Float64Array | Int32Array | Uint32Array): boolean {
    return array.buffer === this.#buffer;
  }

  /**
   * buildHistogram over every word for rows order[start..end) into `hist` (zeroed, in this memory);
   * `gradients` and `hessians` must be views on this memory. With `countsKnown` the count slots are left
   * for the caller to fill.
   */
  build(hist: Float64Array, start: number, end: number, gradients: Float64Array, hessians: Float64Array | null, countsKnown: boolean): void {
    const name = (hessians === null ? 'g' : 'gh') + (countsKnown ? '' : 'c');
    this.#exports[name](hist.byteOffset, this.packed.words.byteOffset, this.packed.nWords, this.order.byteOffset, start, end, gradients.byteOffset, hessians?.byteOffset ?? 0);
  }
}
