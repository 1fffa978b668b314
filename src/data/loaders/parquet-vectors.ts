import type { Vector } from '@duckdb/node-bindings';

/** The native functions used to read a result chunk's vectors (`@duckdb/node-bindings`). */
export type DuckDBBindings = typeof import('@duckdb/node-bindings');

/**
 * Copies `n` doubles of a DuckDB DOUBLE vector into `out` at `offset`, NaN where the null bitmap says
 * null. One native call copies the whole vector (`vector_get_data` returns a copy, not a view).
 */
export function copyDoubles(bindings: DuckDBBindings, vector: Vector, n: number, out: Float64Array, offset: number): void {
  const bytes = bindings.vector_get_data(vector, n * 8);
  if (bytes.byteOffset % 8 === 0) out.set(new Float64Array(bytes.buffer, bytes.byteOffset, n), offset);
  else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, n * 8);
    for (let i = 0; i < n; i++) out[offset + i] = view.getFloat64(i * 8, true);
  }
  const validity = _validity(bindings, vector, n);
  if (validity === undefined) return;
  for (let b = 0; b < (n + 7) >> 3; b++) {
    const bits = validity[b];
    if (bits === 0xff) continue;
    for (let i = b << 3; i < Math.min(n, (b << 3) + 8); i++) if ((bits & (1 << (i & 7))) === 0) out[offset + i] = Number.NaN;
  }
}

/** Distinct short strings remembered per column; beyond it, each value is decoded on its own. */
const _MAX_INTERNED = 100_000;

/** One remembered short string: its length and inline bytes (as three words), and the decoded value. */
interface _Interned {
  readonly w0: number;
  readonly w1: number;
  readonly w2: number;
  readonly w3: number;
  readonly value: string;
  next: _Interned | undefined;
}

/**
 * Decodes DuckDB VARCHAR vectors into a string column, straight from the vectors' `string_t` bytes.
 * Strings of up to 12 bytes are stored inline there, so a repeated category name is recognised by
 * comparing four words and shares one JavaScript string, without decoding or allocating per row; only
 * longer strings need a native call each (to read the bytes behind their pointer).
 */
export class StringColumnReader {
  readonly #bindings: DuckDBBindings;
  readonly #decoder = new TextDecoder();
  readonly #interned = new Map<number, _Interned>();
  #size = 0;

  constructor(bindings: DuckDBBindings) {
    this.#bindings = bindings;
  }

  /** Writes the `n` values of `vector` into `out` at `offset` (`null` for null). */
  read(vector: Vector, n: number, out: (string | null)[], offset: number): void {
    const bytes = this.#bindings.vector_get_data(vector, n * 16);
    // Aligned copy of the data (vector_get_data copies anyway), so the words can be read as uint32s.
    const words = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, n * 4) : new Uint32Array(bytes.slice().buffer, 0, n * 4);
    const raw = new Uint8Array(words.buffer, words.byteOffset, n * 16);
    const validity = _validity(this.#bindings, vector, n);
    for (let i = 0; i < n; i++) {
      if (validity !== undefined && (validity[i >> 3] & (1 << (i & 7))) === 0) {
        out[offset + i] = null;
        continue;
      }
      const w = i * 4;
      const length = words[w];
      if (length > 12) {
        // Not inline: bytes 8..15 of the string_t are a pointer into DuckDB's string heap.
        out[offset + i] = this.#decoder.decode(this.#bindings.get_data_from_pointer(raw.buffer as ArrayBuffer, raw.byteOffset + i * 16 + 8, length));
        continue;
      }
      out[offset + i] = this.#short(raw, i * 16, length, words[w + 1], words[w + 2], words[w + 3]);
    }
  }

  /** The string of an inline `string_t`; the words are masked to its length, as bytes past it are unspecified. */
  #short(raw: Uint8Array, at: number, length: number, a: number, b: number, c: number): string {
    const w1 = length >= 4 ? a : a & _MASKS[length];
    const w2 = length >= 8 ? b : length <= 4 ? 0 : b & _MASKS[length - 4];
    const w3 = length <= 8 ? 0 : length >= 12 ? c : c & _MASKS[length - 8];
    const key = (Math.imul(w1 ^ length, 0x9e3779b1) ^ Math.imul(w2, 0x85ebca77) ^ Math.imul(w3, 0xc2b2ae3d)) >>> 0;
    const first = this.#interned.get(key);
    for (let entry = first; entry !== undefined; entry = entry.next) {
      if (entry.w0 === length && entry.w1 === w1 && entry.w2 === w2 && entry.w3 === w3) return entry.value;
    }
    const value = this.#decoder.decode(raw.subarray(at + 4, at + 4 + length));
    if (this.#size < _MAX_INTERNED) {
      this.#interned.set(key, { w0: length, w1, w2, w3, value, next: first });
      this.#size++;
    }
    return value;
  }
}

/** Masks keeping the first 0..3 bytes of a little-endian word (DuckDB's packages are all little-endian hosts). */
const _MASKS = [0, 0xff, 0xffff, 0xffffff];

/**
 * DuckDB's validity mask of a vector: bit i (of little-endian uint64 words) is 1 when row i is valid;
 * undefined when the vector has no nulls.
 */
function _validity(bindings: DuckDBBindings, vector: Vector, n: number): Uint8Array | undefined {
  // The binding returns null (not an empty array) when the vector has no validity mask.
  const bytes = bindings.vector_get_validity(vector, Math.ceil(n / 64) * 8) as Uint8Array | null;
  return bytes ?? undefined;
}
