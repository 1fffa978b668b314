/**
 * Just enough of the WebAssembly binary format to emit the linear models' fit kernels at load time, so
 * the repository carries readable kernel source (kernels.ts) instead of opaque .wasm bytes and needs no
 * build-time toolchain. Every function imports one memory ("m"."mem") and takes and returns numbers.
 */

/** Value types of the binary format. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

/**
 * One function: its parameter and local types and its body (instructions without the final `end`).
 * @example
 * const f: WasmFunction = { name: 'id', params: [I32], results: [I32], locals: [], body: [0x20, 0] };
 */
export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  locals: number[];
  body: number[];
}

/**
 * The part of the engine's WebAssembly global the kernels use (declared here: the project's `lib` settings
 * leave WebAssembly out).
 */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => { buffer: ArrayBuffer; grow(pages: number): number };
}

/**
 * The engine's WebAssembly; callers reach it only after {@link compileModule} gave a module, so it exists.
 * @example
 * const memory = new (wasmApi().Memory)({ initial: 1 });
 */
export function wasmApi(): WasmApi {
  return (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
}

/**
 * The compiled module of `functions`, or null where WebAssembly or its SIMD proposal is not available
 * (the callers then run their JavaScript loops).
 * @example
 * const module = compileModule([f]);
 */
export function compileModule(functions: readonly WasmFunction[], sharedMemory = false): object | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    const bytes = encodeModule(functions, sharedMemory);
    return wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
  } catch {
    return null;
  }
}

/**
 * The module's bytes: one type per function, the imported memory (shared between threads when
 * `sharedMemory`), every function exported by name.
 * @example
 * new WebAssembly.Module(encodeModule([f]));
 */
export function encodeModule(functions: readonly WasmFunction[], sharedMemory = false): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  // A shared memory (threads proposal) must declare a maximum: the largest there is (65536 pages).
  const limits = sharedMemory ? [0x03, 0x01, ...uleb(65536)] : [0x00, 0x01];
  const imports = [[...name('m'), ...name('mem'), 0x02, ...limits]];
  const funcs = functions.map((_, i) => uleb(i));
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const codes = functions.map((f) => {
    const body = [...vec(f.locals.map((t) => [0x01, t])), ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(funcs)),
    ...section(7, vec(exports)),
    ...section(10, vec(codes)),
  ]);
}

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function vec(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

/**
 * Instruction helpers: each returns the bytes of one instruction, so kernel bodies read like the text
 * format (`...get(0), ...get(1), op.i32Add`).
 */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32GeU: [0x4f],
  f64Add: [0xa0],
  f64Load: (offset = 0) => [0x2b, 0x03, ...uleb(offset)],
  f64Store: (offset = 0) => [0x39, 0x03, ...uleb(offset)],
  v128Load: [0xfd, 0x00, 0x03, 0x00],
  v128LoadAt: (offset: number) => [0xfd, 0x00, 0x03, ...uleb(offset)],
  /** Lanes 0–15 pick bytes of the first operand, 16–31 of the second. */
  i8x16Shuffle: (lanes: readonly number[]) => [0xfd, 0x0d, ...lanes],
  v128Store: [0xfd, 0x0b, 0x03, 0x00],
  v128StoreAt: (offset: number) => [0xfd, 0x0b, 0x03, ...uleb(offset)],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  f64x2Splat: [0xfd, 0x14],
  f64x2Lane: (lane: number) => [0xfd, 0x21, lane],
  f64x2Add: [0xfd, 0xf0, 0x01],
  f64x2Mul: [0xfd, 0xf2, 0x01],
  f64x2Sub: [0xfd, 0xf1, 0x01],
  /** Lane-wise a > b: all ones or all zeros per lane. */
  f64x2Gt: [0xfd, 0x4a],
  /** (a AND mask) OR (b AND NOT mask), with the operands pushed as a, b, mask. */
  v128Bitselect: [0xfd, 0x52],
  /** Both lanes `value` (a v128.const). */
  f64x2Const: (value: number) => {
    const lane = [...new Uint8Array(Float64Array.of(value).buffer)];
    return [0xfd, 0x0c, ...lane, ...lane];
  },
  f64x2Abs: [0xfd, 0xec, 0x01],
  f64x2Neg: [0xfd, 0xed, 0x01],
  f64x2Div: [0xfd, 0xf3, 0x01],
  /** Towards zero, as C's cast of a double to int. */
  f64x2Trunc: [0xfd, 0x7a],
  f64x2Lt: [0xfd, 0x49],
  f64x2Ge: [0xfd, 0x4c],
  v128And: [0xfd, 0x4e],
  /** a AND NOT b. */
  v128AndNot: [0xfd, 0x4f],
  /** Each 64-bit lane shifted left by the i32 operand. */
  i64x2Shl: [0xfd, 0xcb, 0x01],
  i64x2Add: [0xfd, 0xce, 0x01],
  /** `block` + `loop` with empty block types: `br_if 1` leaves, `br 0` repeats. */
  loopStart: [0x02, 0x40, 0x03, 0x40],
  brIfOut: [0x0d, 0x01],
  loopEnd: [0x0c, 0x00, 0x0b, 0x0b],
  /** `loop` alone (empty block type): `br_if 0` inside repeats it. */
  loopOnly: [0x03, 0x40],
  blockStart: [0x02, 0x40],
  ifStart: [0x04, 0x40],
  ifElse: [0x05],
  /** Closes a block, loop or if. */
  end: [0x0b],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  call: (index: number) => [0x10, ...uleb(index)],
  select: [0x1b],
  /** memory.copy within the one memory: pushed as destination, source, length. */
  memoryCopy: [0xfc, 0x0a, 0x00, 0x00],
  i32Load: (offset = 0) => [0x28, 0x02, ...uleb(offset)],
  i32Load8U: (offset = 0) => [0x2d, 0x00, ...uleb(offset)],
  i32Store: (offset = 0) => [0x36, 0x02, ...uleb(offset)],
  f32Load: (offset = 0) => [0x2a, 0x02, ...uleb(offset)],
  f32Store: (offset = 0) => [0x38, 0x02, ...uleb(offset)],
  i32Eqz: [0x45],
  i32Eq: [0x46],
  i32LtS: [0x48],
  i32LtU: [0x49],
  i32GtS: [0x4a],
  i32GeS: [0x4e],
  i32Sub: [0x6b],
  i32And: [0x71],
  i32Or: [0x72],
  i32Xor: [0x73],
  i32Shl: [0x74],
  i32ShrU: [0x76],
  f32Lt: [0x5d],
  f32Gt: [0x5e],
  f64Eq: [0x61],
  f64Lt: [0x63],
  f64Gt: [0x64],
  f64Le: [0x65],
  f64Neg: [0x9a],
  f64Floor: [0x9c],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  f64Div: [0xa3],
  i32TruncF64S: [0xaa],
  f64ConvertI32S: [0xb7],
  f64ConvertI32U: [0xb8],
  f64PromoteF32: [0xbb],
  f64Const: (value: number) => [0x44, ...new Uint8Array(Float64Array.of(value).buffer)],
  f64x2ReplaceLane: (lane: number) => [0xfd, 0x22, lane],
  /** Loads 32 bits and copies them into all four lanes. */
  v128Load32SplatAt: (offset: number) => [0xfd, 0x09, 0x02, ...uleb(offset)],
  v128Or: [0xfd, 0x50],
  /** 1 when any bit of the vector is set. */
  v128AnyTrue: [0xfd, 0x53],
  f32x4Le: [0xfd, 0x45],
  f32x4Add: [0xfd, 0xe4, 0x01],
  f32x4Mul: [0xfd, 0xe6, 0x01],
};
