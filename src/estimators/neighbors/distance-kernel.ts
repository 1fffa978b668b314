import { I32, op, V128, type WasmFunction } from '../linear/wasm/encoder.js';

/**
 * The brute-force k-NN scan as a WebAssembly SIMD (f64x2) kernel: ‖y‖² − 2x·y for a block of query
 * groups × a block of training panels, the GEMM form of the squared Euclidean distance without the
 * query's own ‖x‖² (the same for every training row, so it does not change the ranking). Four queries ×
 * four training rows per step keep 8 accumulators in registers; each feature costs 2 loads, 4 splats
 * and 16 multiply-adds for 16 pairs. The sums' order does not matter: the caller's error bound holds
 * for any order. Only steps where some pair is at or below its query's threshold
 * are written out, so the caller sees a few candidates per query instead of every distance.
 *
 * Layouts (byte addresses; `rowBytes` = 32·d):
 * - a panel is 4 training rows: their 4 ‖y‖² then, per feature j, their 4 values of j (32 + rowBytes bytes);
 * - a query group is 4 queries: per feature j, their 4 values of j times −2 (rowBytes bytes);
 * - thresholds: one f64 per query, a group's 4 at 32 bytes per group;
 * - a record ({@link RECORD_BYTES}): i32 address of the step's first panel, i32 group address, 8 bytes
 *   unused, then the 16 values, query-major (query i's 4 rows of step panel p at 16 + 32·(i·panels + p)).
 */

/** Bytes per record written by the scan. */
export const RECORD_BYTES = 144;

const { get, set, i32, i32Add, i32GeU, loopStart, brIfOut, loopEnd, v128LoadAt, v128StoreAt, f64x2Add, f64x2Mul } = op;
// Instructions the shared encoder does not spell (opcodes of the WebAssembly SIMD proposal).
const i32StoreAt = (offset: number) => [0x36, 0x02, offset];
const i32LtU = [0x49];
const v128Load64SplatAt = (offset: number) => [0xfd, 0x0a, 0x03, offset];
const f64x2Le = [0xfd, 0x4b];
const v128Or = [0xfd, 0x50];
const v128AnyTrue = [0xfd, 0x53];
/** `loop` with an empty block type; `br_if 0` inside repeats it. */
const loopOnly = [0x03, 0x40];
const brIfRepeat = [0x0d, 0x00];
const ifStart = [0x04, 0x40];
const end = [0x0b];

/** `local += by` for an i32 local, `by` a local when `byLocal`. */
const bump = (local: number, by: number, byLocal = false) => [...get(local), ...(byLocal ? get(by) : i32(by)), ...i32Add, ...set(local)];

/**
 * scan(pq, qEnd, pt, tEnd, pthr, pout, rowBytes) → the address after the last record written: every
 * group in [pq, qEnd) against every panel in [pt, tEnd), thresholds of the first group at pthr. The
 * kernel takes `queries` queries of each group (lanes 0..queries−1) × `panels` adjacent panels per step,
 * 8 accumulators either way: 4 × 1 for batches, 1 × 4 for one query at a time (a single-row predict
 * would waste three quarters of the 4 × 1 kernel on padding).
 */
function scanKernel(queries: 1 | 4, panels: 1 | 4): WasmFunction {
  const [pq, qEnd, pt, tEnd, pthr, pout, rowBytes] = [0, 1, 2, 3, 4, 5, 6];
  const [qg, tp, qj, jEnd, th] = [7, 8, 9, 10, 11];
  const pj = (p: number) => 12 + p;
  const acc = (i: number, p: number, h: number) => 16 + 2 * (i * panels + p) + h;
  const [y0, y1, qs, mask] = [24, 25, 26, 27];
  const lanes = Array.from({ length: queries }, (_, i) => i);
  const steps = Array.from({ length: panels }, (_, p) => p);
  const halves = [0, 1];
  const multiplyAdd = (i: number, p: number, h: number, y: number[]) => [...get(acc(i, p, h)), ...get(qs), ...y, ...f64x2Mul, ...f64x2Add, ...set(acc(i, p, h))];
  // One query: its splat stays in a register and the panels' values are loaded where used; four: the
  // panel's two vectors stay in registers and each query's value is splatted in turn.
  const feature =
    queries === 1
      ? [
          ...get(qj),
          ...v128Load64SplatAt(0),
          ...set(qs),
          ...steps.flatMap((p) => halves.flatMap((h) => multiplyAdd(0, p, h, [...get(pj(p)), ...v128LoadAt(16 * h)]))),
        ]
      : [
          ...halves.flatMap((h) => [...get(pj(0)), ...v128LoadAt(16 * h), ...set(h === 0 ? y0 : y1)]),
          ...lanes.flatMap((i) => [...get(qj), ...v128Load64SplatAt(8 * i), ...set(qs), ...halves.flatMap((h) => multiplyAdd(i, 0, h, get(h === 0 ? y0 : y1)))]),
        ];
  const each = (fn: (i: number, p: number, h: number) => number[]) => lanes.flatMap((i) => steps.flatMap((p) => halves.flatMap((h) => fn(i, p, h))));
  const compare = each((i, p, h) => [...get(acc(i, p, h)), ...get(th), ...v128Load64SplatAt(8 * i), ...f64x2Le, ...(i + p + h > 0 ? v128Or : [])]);
  const record = [
    ...get(pout),
    ...get(tp),
    ...i32StoreAt(0),
    ...get(pout),
    ...get(qg),
    ...i32StoreAt(4),
    ...each((i, p, h) => [...get(pout), ...get(acc(i, p, h)), ...v128StoreAt(16 + 32 * (i * panels + p) + 16 * h)]),
    ...bump(pout, RECORD_BYTES),
  ];
  const panel = [
    // Accumulators start at the panels' ‖y‖²; then pj(p) walks panel p's features.
    ...steps.flatMap((p) => [
      ...(p === 0 ? get(tp) : [...get(pj(p - 1)), ...i32(32), ...i32Add, ...get(rowBytes), ...i32Add]),
      ...set(pj(p)),
      ...lanes.flatMap((i) => halves.flatMap((h) => [...get(pj(p)), ...v128LoadAt(16 * h), ...set(acc(i, p, h))])),
    ]),
    ...steps.flatMap((p) => bump(pj(p), 32)),
    ...get(qg),
    ...set(qj),
    ...get(qg),
    ...get(rowBytes),
    ...i32Add,
    ...set(jEnd),
    ...loopOnly,
    ...feature,
    ...steps.flatMap((p) => bump(pj(p), 32)),
    ...bump(qj, 32),
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
    ...bump(th, 32),
    ...loopEnd,
    ...get(pout),
  ];
  const name = `scan${queries}x${panels}`;
  return { name, params: [I32, I32, I32, I32, I32, I32, I32], results: [I32], locals: [I32, I32, I32, I32, I32, I32, I32, I32, I32, ...new Array<number>(12).fill(V128)], body };
}

/** The batch kernel (4 queries × 1 panel per step) and the one-query kernel (1 × 4). */
export const scanKernels: WasmFunction[] = [scanKernel(4, 1), scanKernel(1, 4)];

/** A kernel's export; addresses and sizes in bytes. */
export type ScanKernel = (pq: number, qEnd: number, pt: number, tEnd: number, pthr: number, pout: number, rowBytes: number) => number;
