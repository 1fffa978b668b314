import { I32, op, V128, type WasmFunction } from '../linear/wasm/encoder.js';

/**
 * The brute-force k-NN scan as a WebAssembly SIMD (f32x4) kernel: ‖y‖² − 2x·y for a block of query
 * groups × a block of training panels, the GEMM form of the squared Euclidean distance without the
 * query's own ‖x‖² (the same for every training row, so it does not change the ranking), in float32 —
 * four rows per vector, half the memory traffic of float64. It is only a filter (brute-l2.ts bounds its
 * error and recomputes the candidates exactly in float64): its rounding costs a few extra candidates,
 * never a wrong neighbour, and the order of its sums does not matter. Only steps where some pair is at or below its query's threshold are written out, so the
 * caller sees a few candidates per query instead of every distance.
 *
 * Layouts (byte addresses; `rowBytes` = 16·d):
 * - a panel is 4 training rows: their 4 ‖y‖² then, per feature j, their 4 values of j (16 + rowBytes bytes);
 * - a query group is 4 queries: per feature j, their 4 values of j times −2 (rowBytes bytes);
 * - thresholds: one f32 per query, a group's 4 at 16 bytes per group;
 * - a record ({@link RECORD_BYTES}): i32 address of the step's first panel, i32 group address, 8 bytes
 *   unused, then 32 f32 values, query-major (query i's 4 rows of step panel p at 16 + 16·(i·panels + p)).
 */

/** Bytes per record written by the scan. */
export const RECORD_BYTES = 144;

const { get, set, i32, i32Add, i32GeU, loopStart, brIfOut, loopEnd, v128LoadAt, v128StoreAt } = op;
const { i32Store, i32LtU, v128Load32SplatAt, f32x4Le, f32x4Add, f32x4Mul, v128Or, v128AnyTrue, loopOnly, ifStart, end } = op;
const brIfRepeat = op.brIf(0);

/** `local += by` for an i32 local, `by` a local when `byLocal`. */
const bump = (local: number, by: number, byLocal = false) => [...get(local), ...(byLocal ? get(by) : i32(by)), ...i32Add, ...set(local)];

/**
 * scan(pq, qEnd, pt, tEnd, pthr, pout, rowBytes) → the address after the last record written: every
 * group in [pq, qEnd) against every panel in [pt, tEnd), thresholds of the first group at pthr. The
 * kernel takes `queries` queries of each group (lanes 0..queries−1) × `panels` adjacent panels per step,
 * 8 accumulators either way: 4 × 2 for batches, 1 × 8 for one query at a time (a single-row predict
 * would waste three quarters of the 4 × 2 kernel on padding).
 */
function scanKernel(queries: 1 | 4, panels: 2 | 8): WasmFunction {
  const [pq, qEnd, pt, tEnd, pthr, pout, rowBytes] = [0, 1, 2, 3, 4, 5, 6];
  const [qg, tp, qj, jEnd, th] = [7, 8, 9, 10, 11];
  const pj = (p: number) => 12 + p;
  const acc = (i: number, p: number) => 20 + i * panels + p;
  const [qs, mask] = [28, 29];
  const y = (p: number) => 30 + p;
  const lanes = Array.from({ length: queries }, (_, i) => i);
  const steps = Array.from({ length: panels }, (_, p) => p);
  const multiplyAdd = (i: number, p: number, value: number[]) => [...get(acc(i, p)), ...get(qs), ...value, ...f32x4Mul, ...f32x4Add, ...set(acc(i, p))];
  // One query: its splat stays in a register and each panel's vector is loaded where used; four: the
  // panels' vectors stay in registers and each query's value is splatted in turn.
  const feature =
    queries === 1
      ? [...get(qj), ...v128Load32SplatAt(0), ...set(qs), ...steps.flatMap((p) => multiplyAdd(0, p, [...get(pj(p)), ...v128LoadAt(0)]))]
      : [
          ...steps.flatMap((p) => [...get(pj(p)), ...v128LoadAt(0), ...set(y(p))]),
          ...lanes.flatMap((i) => [...get(qj), ...v128Load32SplatAt(4 * i), ...set(qs), ...steps.flatMap((p) => multiplyAdd(i, p, get(y(p))))]),
        ];
  const each = (fn: (i: number, p: number) => number[]) => lanes.flatMap((i) => steps.flatMap((p) => fn(i, p)));
  const compare = each((i, p) => [...get(acc(i, p)), ...get(th), ...v128Load32SplatAt(4 * i), ...f32x4Le, ...(i + p > 0 ? v128Or : [])]);
  const record = [
    ...get(pout),
    ...get(tp),
    ...i32Store(0),
    ...get(pout),
    ...get(qg),
    ...i32Store(4),
    ...each((i, p) => [...get(pout), ...get(acc(i, p)), ...v128StoreAt(16 + 16 * (i * panels + p))]),
    ...bump(pout, RECORD_BYTES),
  ];
  const panel = [
    // Accumulators start at the panels' ‖y‖²; then pj(p) walks panel p's features.
    ...steps.flatMap((p) => [
      ...(p === 0 ? get(tp) : [...get(pj(p - 1)), ...i32(16), ...i32Add, ...get(rowBytes), ...i32Add]),
      ...set(pj(p)),
      ...lanes.flatMap((i) => [...get(pj(p)), ...v128LoadAt(0), ...set(acc(i, p))]),
    ]),
    ...steps.flatMap((p) => bump(pj(p), 16)),
    ...get(qg),
    ...set(qj),
    ...get(qg),
    ...get(rowBytes),
    ...i32Add,
    ...set(jEnd),
    ...loopOnly,
    ...feature,
    ...steps.flatMap((p) => bump(pj(p), 16)),
    ...bump(qj, 16),
    ...get(qj),
    ...get(jEnd),
    ...i32LtU,
    ...brIfRepeat,
    ...end,
    ...compare,
    ...set(mask),
    ...get(mask),
    ...v128AnyTrue,
    ...ifStart,
    ...record,
    ...end,
    // The next step starts right after the last panel's features.
    ...get(pj(panels - 1)),
    ...set(tp),
  ];
  const body = [
    ...get(pq),
    ...set(qg),
    ...get(pthr),
    ...set(th),
    ...loopStart,
    ...get(qg),
    ...get(qEnd),
    ...i32GeU,
    ...brIfOut,
    ...get(pt),
    ...set(tp),
    ...loopStart,
    ...get(tp),
    ...get(tEnd),
    ...i32GeU,
    ...brIfOut,
    ...panel,
    ...loopEnd,
    ...bump(qg, rowBytes, true),
    ...bump(th, 16),
    ...loopEnd,
    ...get(pout),
  ];
  const name = `scan${queries}x${panels}`;
  const vectors = 10 + (queries === 4 ? panels : 0);
  return { name, params: [I32, I32, I32, I32, I32, I32, I32], results: [I32], locals: [...new Array<number>(13).fill(I32), ...new Array<number>(vectors).fill(V128)], body };
}

/** The batch kernel (4 queries × 2 panels per step) and the one-query kernel (1 × 8). */
export const scanKernels: WasmFunction[] = [scanKernel(4, 2), scanKernel(1, 8)];

/** Panels per step of the batch and one-query kernels: the panel count of a call is a multiple of both. */
export const PANELS_PER_STEP = { 4: 2, 1: 8 } as const;

/** A kernel's export; addresses and sizes in bytes. */
export type ScanKernel = (pq: number, qEnd: number, pt: number, tEnd: number, pthr: number, pout: number, rowBytes: number) => number;
