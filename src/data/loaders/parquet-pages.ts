import { canDecompressInto, decompress, decompressInto } from './parquet-codecs.js';
import { type ColumnChunkMeta, NotReadableHere, PhysicalType } from './parquet-footer.js';
import { allDefined, decodeDictionary, decodeHybrid } from './parquet-levels.js';
import { num, sub, ThriftReader } from './parquet-thrift.js';

/** How a leaf column's values become numbers (`number`) or strings (`text`), per its Parquet type. */
export interface ColumnDecoding {
  readonly kind: 'number' | 'text';
  readonly physicalType: number;
  /** INT32 / INT64 read as unsigned (UINT_* converted types, unsigned INTEGER logical type). */
  readonly unsigned: boolean;
  /** 0 for a required column, 1 for an optional one. */
  readonly maxDefinition: number;
}

const _PAGE_DATA = 0;
const _PAGE_DICTIONARY = 2;
const _PAGE_DATA_V2 = 3;
const _PLAIN = 0;
const _PLAIN_DICTIONARY = 2;
const _RLE = 3;
const _RLE_DICTIONARY = 8;

/** Buffers reused from page to page and column to column, so decoding allocates (almost) nothing per page. */
export class PageScratch {
  readonly decompressed = { bytes: new Uint8Array(1 << 20) };
  definitions = new Int32Array(0);
  indices = new Int32Array(0);
  values = new Float64Array(0);
  aligned = new Uint8Array(0);
  saved = new Uint8Array(64);

  definitionsFor(n: number): Int32Array {
    if (this.definitions.length < n) this.definitions = new Int32Array(n);
    return this.definitions;
  }

  indicesFor(n: number): Int32Array {
    if (this.indices.length < n) this.indices = new Int32Array(n);
    return this.indices;
  }

  valuesFor(n: number): Float64Array {
    if (this.values.length < n) this.values = new Float64Array(n);
    return this.values;
  }

  /** A copy of `bytes` at an 8-byte-aligned offset, for typed-array views of PLAIN values. */
  alignedCopy(bytes: Uint8Array): Uint8Array {
    if (this.aligned.length < bytes.length) this.aligned = new Uint8Array(Math.max(bytes.length, this.aligned.length * 2));
    this.aligned.set(bytes);
    return this.aligned;
  }
}

// Fatal: invalid UTF-8 throws, so the load goes to DuckDB, which reports it as it would have.
const _utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decompresses a V1 PLAIN DOUBLE page straight into the column, so its values land at row `to` with no
 * second copy: the page's definition levels (a few bytes before the values) go just before, over the
 * end of the previous rows, which are saved and put back. Returns undefined when the values are in
 * place (no nulls); otherwise (nulls, or no room before row `to`) the decompressed page, for the usual path.
 */
function _doublesInPlace(codec: number, page: Uint8Array, size: number, n: number, optional: boolean, out: Float64Array, to: number, scratch: PageScratch): Uint8Array | undefined {
  if (to + n > out.length) throw new NotReadableHere('page past the column');
  const prefix = size - n * 8;
  const start = to * 8 - prefix;
  if (start < 0 || (optional ? prefix < 5 : prefix !== 0)) return decompress(codec, page, size, scratch.decompressed);
  const bytes = new Uint8Array(out.buffer, out.byteOffset, (to + n) * 8);
  if (scratch.saved.length < prefix) scratch.saved = new Uint8Array(prefix * 2);
  const saved = scratch.saved.subarray(0, prefix);
  saved.set(bytes.subarray(start, to * 8));
  try {
    decompressInto(codec, page, size, bytes, start);
    // Required columns have no levels; optional ones a 4-byte length, then the levels, then the values.
    const length = !optional ? 0 : bytes[start] | (bytes[start + 1] << 8) | (bytes[start + 2] << 16) | (bytes[start + 3] << 24);
    if (!optional || (length === prefix - 4 && allDefined(bytes, start + 4, start + prefix, n))) return undefined;
    const copy = scratch.decompressed.bytes.length >= size ? scratch.decompressed.bytes : new Uint8Array(size);
    scratch.decompressed.bytes = copy;
    copy.set(bytes.subarray(start, start + size));
    return copy.subarray(0, size);
  } finally {
    bytes.set(saved, start);
  }
}

/**
 * Decodes one column chunk (`bytes`: its pages, as stored) into `out` from row `offset`: numbers into a
 * `Float64Array` (NaN for null), strings into an array (`null` for null). Returns the rows written. Throws
 * `NotReadableHere` for an encoding this reader does not know, so the loader can read the file with DuckDB.
 */
export function decodeChunk(
  bytes: Uint8Array,
  meta: ColumnChunkMeta,
  decoding: ColumnDecoding,
  out: Float64Array | (string | null)[],
  offset: number,
  scratch: PageScratch,
): number {
  let pos = 0;
  let row = 0;
  let dictionary: Float64Array | string[] | undefined;
  while (row < meta.numValues) {
    if (pos >= bytes.length) throw new NotReadableHere('column chunk ends before its values');
    const reader = new ThriftReader(bytes, pos);
    const header = reader.struct();
    pos = reader.pos;
    const type = num(header, 1);
    const uncompressedSize = num(header, 2);
    const compressedSize = num(header, 3);
    if (!(compressedSize >= 0 && pos + compressedSize <= bytes.length)) throw new NotReadableHere('page past the column chunk');
    const page = bytes.subarray(pos, pos + compressedSize);
    pos += compressedSize;
    if (type === _PAGE_DICTIONARY) {
      const dictionaryHeader = sub(header, 7);
      const encoding = num(dictionaryHeader, 2, _PLAIN);
      if (encoding !== _PLAIN && encoding !== _PLAIN_DICTIONARY) throw new NotReadableHere(`dictionary encoding ${encoding}`);
      const data = decompress(meta.codec, page, uncompressedSize, scratch.decompressed);
      dictionary = _plainDictionary(data, num(dictionaryHeader, 1), decoding, scratch);
      continue;
    }
    if (type === _PAGE_DATA) {
      const pageHeader = sub(header, 5);
      const n = num(pageHeader, 1);
      let data: Uint8Array | undefined;
      if (out instanceof Float64Array && decoding.physicalType === PhysicalType.DOUBLE && num(pageHeader, 2) === _PLAIN && canDecompressInto(meta.codec)) {
        data = _doublesInPlace(meta.codec, page, uncompressedSize, n, decoding.maxDefinition > 0, out, offset + row, scratch);
        if (data === undefined) {
          row += n;
          continue;
        }
      }
      data ??= decompress(meta.codec, page, uncompressedSize, scratch.decompressed);
      let at = 0;
      let definitions: Int32Array | undefined;
      if (decoding.maxDefinition > 0) {
        if (num(pageHeader, 3, _RLE) !== _RLE) throw new NotReadableHere('definition levels not RLE');
        const length = data[0] | (data[1] << 8) | (data[2] << 16) | (data[3] << 24);
        definitions = _definitions(data, 4, 4 + length, n, scratch);
        at = 4 + length;
      }
      _values(data, at, data.length, num(pageHeader, 2), n, definitions, dictionary, decoding, out, offset + row, scratch);
      row += n;
      continue;
    }
    if (type === _PAGE_DATA_V2) {
      const v2 = sub(header, 8);
      const n = num(v2, 1);
      const definitionBytes = num(v2, 5, 0);
      const repetitionBytes = num(v2, 6, 0);
      if (repetitionBytes !== 0) throw new NotReadableHere('repetition levels in a flat column');
      const definitions = decoding.maxDefinition > 0 ? _definitions(page, 0, definitionBytes, n, scratch) : undefined;
      const body = page.subarray(definitionBytes);
      const compressed = v2?.[7] !== false;
      const data = compressed ? decompress(meta.codec, body, uncompressedSize - definitionBytes, scratch.decompressed) : body;
      _values(data, 0, data.length, num(v2, 4), n, definitions, dictionary, decoding, out, offset + row, scratch);
      row += n;
    }
    // Index pages and unknown page types carry no values: skipped.
  }
  if (row !== meta.numValues) throw new NotReadableHere('pages hold more values than the chunk states');
  return row;
}

/** The definition levels of `n` values (bit width 1), or undefined when all are defined (no nulls). */
function _definitions(data: Uint8Array, start: number, end: number, n: number, scratch: PageScratch): Int32Array | undefined {
  if (allDefined(data, start, end, n)) return undefined;
  const levels = scratch.definitionsFor(n);
  decodeHybrid(data, start, end, 1, n, levels);
  return levels;
}

function _plainDictionary(data: Uint8Array, n: number, decoding: ColumnDecoding, scratch: PageScratch): Float64Array | string[] {
  if (decoding.kind === 'text') return _plainStrings(data, 0, n);
  const values = new Float64Array(n);
  _plainNumbers(data, 0, n, decoding, values, 0, scratch);
  return values;
}

function _plainStrings(data: Uint8Array, at: number, n: number): string[] {
  const values = new Array<string>(n);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < n; i++) {
    if (at + 4 > data.length) throw new NotReadableHere('PLAIN strings past the page end');
    const length = view.getUint32(at, true);
    at += 4;
    if (at + length > data.length) throw new NotReadableHere('PLAIN string past the page end');
    values[i] = _utf8.decode(data.subarray(at, at + length));
    at += length;
  }
  return values;
}

/** Writes `n` PLAIN values from `data[at..]` as doubles into `out` from `to`. */
function _plainNumbers(data: Uint8Array, at: number, n: number, decoding: ColumnDecoding, out: Float64Array, to: number, scratch: PageScratch): void {
  const type = decoding.physicalType;
  const width = type === PhysicalType.DOUBLE || type === PhysicalType.INT64 ? 8 : type === PhysicalType.BOOLEAN ? 0 : 4;
  if (type === PhysicalType.BOOLEAN) {
    if (at + ((n + 7) >> 3) > data.length) throw new NotReadableHere('PLAIN booleans past the page end');
    for (let i = 0; i < n; i++) out[to + i] = (data[at + (i >> 3)] >> (i & 7)) & 1;
    return;
  }
  if (at + n * width > data.length) throw new NotReadableHere('PLAIN values past the page end');
  const bytes = data.subarray(at, at + n * width);
  if (type === PhysicalType.DOUBLE) {
    // Little-endian doubles are the output's own bytes: one copy, whatever the alignment.
    new Uint8Array(out.buffer, out.byteOffset + to * 8, n * 8).set(bytes);
    return;
  }
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : scratch.alignedCopy(bytes);
  if (type === PhysicalType.FLOAT) {
    const floats = new Float32Array(aligned.buffer, aligned.byteOffset, n);
    for (let i = 0; i < n; i++) out[to + i] = floats[i];
  } else if (type === PhysicalType.INT32) {
    const ints = new Int32Array(aligned.buffer, aligned.byteOffset, n);
    if (decoding.unsigned) for (let i = 0; i < n; i++) out[to + i] = ints[i] >>> 0;
    else for (let i = 0; i < n; i++) out[to + i] = ints[i];
  } else if (type === PhysicalType.INT64) {
    // hi · 2^32 is exact and lo < 2^32, so the one addition rounds as a cast of the 64-bit integer does.
    const words = new Int32Array(aligned.buffer, aligned.byteOffset, n * 2);
    if (decoding.unsigned) for (let i = 0; i < n; i++) out[to + i] = (words[2 * i + 1] >>> 0) * 4294967296 + (words[2 * i] >>> 0);
    else for (let i = 0; i < n; i++) out[to + i] = words[2 * i + 1] * 4294967296 + (words[2 * i] >>> 0);
  } else {
    throw new NotReadableHere(`physical type ${type} as a number`);
  }
}

/**
 * Writes a data page's `n` rows into `out` from `to`: the values (PLAIN or dictionary indices) of the
 * defined rows, and NaN / null where `definitions` says a row is null.
 */
function _values(
  data: Uint8Array,
  at: number,
  end: number,
  encoding: number,
  n: number,
  definitions: Int32Array | undefined,
  dictionary: Float64Array | string[] | undefined,
  decoding: ColumnDecoding,
  out: Float64Array | (string | null)[],
  to: number,
  scratch: PageScratch,
): void {
  let defined = n;
  if (definitions !== undefined) {
    defined = 0;
    for (let i = 0; i < n; i++) defined += definitions[i];
  }
  if (encoding === _PLAIN_DICTIONARY || encoding === _RLE_DICTIONARY) {
    if (dictionary === undefined) throw new NotReadableHere('dictionary-encoded page without a dictionary');
    if (defined === 0) {
      _fillNulls(out, to, n);
      return;
    }
    const bitWidth = data[at];
    if (definitions === undefined && out instanceof Float64Array) {
      // No nulls: indices go straight through the dictionary into the column (one pass, no index array).
      decodeDictionary(data, at + 1, end, bitWidth, n, dictionary as Float64Array, out, to);
      return;
    }
    const indices = scratch.indicesFor(defined);
    decodeHybrid(data, at + 1, end, bitWidth, defined, indices);
    let largest = 0;
    for (let k = 0; k < defined; k++) largest = Math.max(largest, indices[k]);
    if (largest >= dictionary.length) throw new NotReadableHere('dictionary index out of range');
    if (out instanceof Float64Array) _scatterNumbers(definitions as Int32Array, n, indices, dictionary as Float64Array, out, to);
    else if (definitions === undefined) _mapStrings(n, indices, dictionary as string[], out, to);
    else _scatterStrings(definitions, n, indices, dictionary as string[], out, to);
    return;
  }
  if (encoding !== _PLAIN) throw new NotReadableHere(`value encoding ${encoding}`);
  if (out instanceof Float64Array) {
    if (definitions === undefined) {
      _plainNumbers(data, at, n, decoding, out, to, scratch);
      return;
    }
    const values = scratch.valuesFor(defined);
    _plainNumbers(data, at, defined, decoding, values, 0, scratch);
    for (let i = 0, k = 0; i < n; i++) out[to + i] = definitions[i] === 1 ? values[k++] : Number.NaN;
    return;
  }
  const values = _plainStrings(data.subarray(0, end), at, defined);
  if (definitions === undefined) for (let i = 0; i < n; i++) out[to + i] = values[i];
  else for (let i = 0, k = 0; i < n; i++) out[to + i] = definitions[i] === 1 ? values[k++] : null;
}

function _fillNulls(out: Float64Array | (string | null)[], to: number, n: number): void {
  if (out instanceof Float64Array) out.fill(Number.NaN, to, to + n);
  else out.fill(null, to, to + n);
}

function _mapStrings(n: number, indices: Int32Array, values: string[], out: (string | null)[], to: number): void {
  for (let i = 0; i < n; i++) out[to + i] = values[indices[i]];
}

function _scatterNumbers(definitions: Int32Array, n: number, indices: Int32Array, values: Float64Array, out: Float64Array, to: number): void {
  for (let i = 0, k = 0; i < n; i++) out[to + i] = definitions[i] === 1 ? values[indices[k++]] : Number.NaN;
}

function _scatterStrings(definitions: Int32Array, n: number, indices: Int32Array, values: string[], out: (string | null)[], to: number): void {
  for (let i = 0, k = 0; i < n; i++) out[to + i] = definitions[i] === 1 ? values[indices[k++]] : null;
}
