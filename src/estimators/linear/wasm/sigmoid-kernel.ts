import { I32, op, V128, type WasmFunction } from './encoder.js';

/**
 * The two-class probabilities of a block of scores in WebAssembly SIMD: 1 − p and p = 1 / (1 + e^(−s)),
 * with e^x computed exactly as V8's Math.exp does (fdlibm's __ieee754_exp), so the probabilities are
 * bit-identical to JavaScript's `1 / (1 + Math.exp(-s))`. fdlibm's branches become lane selects: every
 * step is a correctly rounded IEEE operation in the same order, and wasm has no fused multiply-add to
 * change a rounding. V8's one addition, exp(1) = E exactly (fdlibm's value is one ulp above), is left
 * out: 1 / (1 + e) rounds both to the same probability.
 */

const { get, set, tee, i32, i32Add, i32GeU, v128Load, v128LoadAt, v128StoreAt, i8x16Shuffle, f64x2Const, f64x2Add, f64x2Sub, f64x2Mul, f64x2Div } = op;
const { f64x2Neg, f64x2Abs, f64x2Trunc, f64x2Lt, f64x2Gt, f64x2Ge, v128And, v128AndNot, v128Bitselect, i64x2Shl, i64x2Add } = op;
const { loopStart, brIfOut, loopEnd } = op;

/** The double of bits high:low (two 32-bit words), as fdlibm writes its constants. */
const fromBits = (high: number, low = 0) => new Float64Array(Uint32Array.of(low, high).buffer)[0];

// fdlibm's constants (e_exp.c).
const LN2_HI = fromBits(0x3fe62e42, 0xfee00000);
const LN2_LO = fromBits(0x3dea39ef, 0x35793c76);
const INV_LN2 = fromBits(0x3ff71547, 0x652b82fe);
const P = [
  fromBits(0x3fc55555, 0x5555553e),
  fromBits(0xbf66c16c, 0x16bebd93),
  fromBits(0x3f11566a, 0xaf25de2c),
  fromBits(0xbebbbd41, 0xc5d26bf1),
  fromBits(0x3e663769, 0x72bea4d0),
];
const O_THRESHOLD = fromBits(0x40862e42, 0xfefa39ef);
const U_THRESHOLD = fromBits(0xc0874910, 0xd52d3051);
/** |x| from which k = trunc(x/ln2 ± ½) (high word ≥ 0x3FF0A2B2, |x| ≥ 1.5 ln2 roughly). */
const GENERIC = fromBits(0x3ff0a2b2);
/** |x| from which x is reduced by ±ln2 (high word > 0x3FD62E42, |x| > ½ ln2). */
const REDUCED = fromBits(0x3fd62e43);
/** Below 2⁻²⁸, e^x is 1 + x. */
const TINY = fromBits(0x3e300000);
/** 2⁵² + 2⁵¹: an integer-valued double in ±2⁵¹ added to it has that integer in its low mantissa bits. */
const ROUND = 6755399441055744;

/**
 * A loop over pairs of rows: `body` runs with each pointer local at its array's current pair, then every
 * pointer moves by its step (bytes); it stops when `pointers[0]` reaches local `end`.
 */
const pairLoop = (pointers: readonly (readonly [number, number])[], end: number, body: number[]) => [
  ...loopStart,
  ...get(pointers[0][0]),
  ...get(end),
  ...i32GeU,
  ...brIfOut,
  ...body,
  ...pointers.flatMap(([local, step]) => [...get(local), ...i32(step), ...i32Add, ...set(local)]),
  ...loopEnd,
];

/**
 * sigmoidPairs(p, pout, nBytes, pk, pq): for the scores s at [p, p + nBytes) (two rows per 16 bytes),
 * writes 1 − q, q with q = 1 / (1 + e^(−s)) at pout, row by row (n × 2, row-major); [pk, pk + nBytes)
 * and [pq, pq + nBytes) are scratch. Three passes, because one pass is a chain of about 160 cycles per
 * pair that keeps too few pairs in flight: (1) k and the reduced argument r, (2) fdlibm's rational
 * approximation of r, (3) the scaling by 2^k, the special cases and the probabilities.
 */
export const sigmoidPairs: WasmFunction = (() => {
  const [pin, pout, nBytes, pk, pq, end, ps, pa, pb, x, ax, kk, r, t, c, e, q] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  // Each constant goes through memory into a local before the loops: the compiler folds neither the store
  // nor the load, so the loops read it from a register or the stack, where a v128.const (or anything the
  // compiler can fold into one) is rebuilt with three instructions at every use. The passes are bound by
  // how many pairs are in flight, so fewer instructions are faster (one pass: 70 µs per 8192 rows with
  // inline constants; three: 52 µs, then 41 µs with these).
  const constants: number[] = [];
  const k = (value: number) => {
    let at = constants.findIndex((v) => Object.is(v, value));
    if (at < 0) at = constants.push(value) - 1;
    return get(q + 1 + at);
  };
  const pow2 = [...k(ROUND), ...f64x2Add, ...i32(52), ...i64x2Shl, ...k(1), ...i64x2Add];
  const signed = (v: number) => [...get(x), ...k(v), ...k(-0), ...v128Bitselect];
  /** x = −s and ax = |x| for the pair at local `ps`. */
  const loadX = [...get(ps), ...v128Load, ...f64x2Neg, ...tee(x), ...f64x2Abs, ...set(ax)];
  /** `value` where the lane mask is set, else local `local`, into `local`. */
  const where = (mask: number[], value: number[], local: number) => [...value, ...get(local), ...mask, ...v128Bitselect, ...set(local)];
  /** Local `to` = local `from` (+ nBytes). */
  const copy = (from: number, to: number, plusBytes = false) => [...get(from), ...(plusBytes ? [...get(nBytes), ...i32Add] : []), ...set(to)];

  // (1) k: trunc(x/ln2 ± ½) from 1.5 ln2 on, ±1 from ½ ln2, else 0 (x then not reduced); r = hi − lo
  // with hi = x − k·LN2_HI (exact) and lo = k·LN2_LO.
  const reduce = pairLoop(
    [
      [ps, 16],
      [pa, 16],
      [pb, 16],
    ],
    end,
    [
      ...loadX,
      ...get(pa),
      ...get(x),
      ...k(INV_LN2),
      ...f64x2Mul,
      ...signed(0.5),
      ...f64x2Add,
      ...f64x2Trunc,
      ...signed(1),
      ...get(ax),
      ...k(REDUCED),
      ...f64x2Ge,
      ...v128And,
      ...get(ax),
      ...k(GENERIC),
      ...f64x2Ge,
      ...v128Bitselect,
      ...tee(kk),
      ...v128StoreAt(0),
      ...get(pb),
      ...get(x),
      ...get(kk),
      ...k(LN2_HI),
      ...f64x2Mul,
      ...f64x2Sub,
      ...get(kk),
      ...k(LN2_LO),
      ...f64x2Mul,
      ...f64x2Sub,
      ...v128StoreAt(0),
    ],
  );
  // (2) In place of r: r·c / (2 − c), c = r − t·(P1 + t·(P2 + t·(P3 + t·(P4 + t·P5)))), t = r².
  const rational = pairLoop([[pb, 16]], end, [
    ...get(pb),
    ...v128Load,
    ...tee(r),
    ...get(r),
    ...f64x2Mul,
    ...set(t),
    ...get(pb),
    ...get(r),
    ...get(r),
    ...P.flatMap((coefficient) => [...get(t), ...k(coefficient)]),
    ...f64x2Mul,
    ...[0, 1, 2, 3].flatMap(() => [...f64x2Add, ...f64x2Mul]),
    ...f64x2Sub,
    ...tee(c),
    ...f64x2Mul,
    ...k(2),
    ...get(c),
    ...f64x2Sub,
    ...f64x2Div,
    ...v128StoreAt(0),
  ]);
  // (3) y = 1 − ((lo − r·c/(2 − c)) − hi) (for k = 0, where lo = 0 and hi = x, the value of fdlibm's
  // 1 − (x·c/(c − 2) − x)); e = y·2^k as (y·2^a)·2^(k−a), a = trunc(k/2): the first product exact, then
  // one rounding, as fdlibm's own scalings near overflow and into the subnormals; then its special cases.
  const scale = pairLoop(
    [
      [ps, 16],
      [pa, 16],
      [pb, 16],
      [pout, 32],
    ],
    end,
    [
      ...loadX,
      ...get(pa),
      ...v128Load,
      ...set(kk),
      ...k(1),
      ...get(kk),
      ...k(LN2_LO),
      ...f64x2Mul,
      ...get(pb),
      ...v128Load,
      ...f64x2Sub,
      ...get(x),
      ...get(kk),
      ...k(LN2_HI),
      ...f64x2Mul,
      ...f64x2Sub,
      ...f64x2Sub,
      ...f64x2Sub,
      ...get(kk),
      ...k(0.5),
      ...f64x2Mul,
      ...f64x2Trunc,
      ...tee(t),
      ...pow2,
      ...f64x2Mul,
      ...get(kk),
      ...get(t),
      ...f64x2Sub,
      ...pow2,
      ...f64x2Mul,
      ...set(e),
      ...where([...get(ax), ...k(TINY), ...f64x2Lt], [...k(1), ...get(x), ...f64x2Add], e),
      ...where([...get(x), ...k(O_THRESHOLD), ...f64x2Gt], k(Number.POSITIVE_INFINITY), e),
      // q = 1 / (1 + e), e = 0 below the underflow threshold; rows i, i + 1 become (1 − qᵢ, qᵢ), (1 − qᵢ₊₁, qᵢ₊₁).
      ...k(1),
      ...get(e),
      ...get(x),
      ...k(U_THRESHOLD),
      ...f64x2Lt,
      ...v128AndNot,
      ...k(1),
      ...f64x2Add,
      ...f64x2Div,
      ...set(q),
      ...get(pout),
      ...k(1),
      ...get(q),
      ...f64x2Sub,
      ...tee(c),
      ...get(q),
      ...i8x16Shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]),
      ...v128StoreAt(0),
      ...get(pout),
      ...get(c),
      ...get(q),
      ...i8x16Shuffle([8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]),
      ...v128StoreAt(16),
    ],
  );
  const body = [
    // The constants are stored at pout, which the last pass overwrites.
    ...constants.flatMap((value, at) => [...get(pout), ...f64x2Const(value), ...v128StoreAt(16 * at)]),
    ...constants.flatMap((_, at) => [...get(pout), ...v128LoadAt(16 * at), ...set(q + 1 + at)]),
    ...[...copy(pin, end, true), ...copy(pin, ps), ...copy(pk, pa), ...copy(pq, pb), ...reduce],
    ...[...copy(pq, end, true), ...copy(pq, pb), ...rational],
    ...[...copy(pin, end, true), ...copy(pin, ps), ...copy(pk, pa), ...copy(pq, pb), ...scale],
  ];
  return { name: 'sigmoidPairs', params: [I32, I32, I32, I32, I32], results: [], locals: [I32, I32, I32, I32, ...new Array<number>(8 + constants.length).fill(V128)], body };
})();
