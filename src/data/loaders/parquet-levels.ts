import { NotReadableHere } from './parquet-footer.js';

/**
 * Decodes `count` values of Parquet's RLE / bit-packed hybrid encoding (definition levels, dictionary
 * indices) of width `bitWidth` from `src[pos..end)` into `out`; returns the position after the runs read.
 */
export function decodeHybrid(src: Uint8Array, pos: number, end: number, bitWidth: number, count: number, out: Int32Array): number {
  // Wider values would overflow the 32-bit bit buffer below; no dictionary comes near 2^24 entries.
  if (bitWidth > 24) throw new NotReadableHere(`RLE bit width ${bitWidth}`);
  const byteWidth = (bitWidth + 7) >> 3;
  const mask = bitWidth === 0 ? 0 : (1 << bitWidth) - 1;
  let i = 0;
  while (i < count) {
    if (pos >= end) throw new NotReadableHere('RLE data shorter than its values');
    const header = _runHeader(src, pos, end);
    pos = _afterHeader;
    if ((header & 1) === 0) {
      const run = Math.min(header >>> 1, count - i);
      let value = 0;
      for (let k = 0; k < byteWidth; k++) value |= src[pos + k] << (8 * k);
      pos += byteWidth;
      out.fill(value, i, i + run);
      i += run;
      continue;
    }
    const groups = header >>> 1;
    const runBytes = groups * bitWidth;
    const n = Math.min(groups * 8, count - i);
    // Only the bytes of the values read must be there: a last run may be cut short of its padding.
    if (pos + ((n * bitWidth + 7) >> 3) > end) throw new NotReadableHere('bit-packed run past the page end');
    if (bitWidth === 1) {
      for (let k = 0; k < n; k++) out[i + k] = (src[pos + (k >> 3)] >> (k & 7)) & 1;
    } else {
      _unpack(src, pos, end, bitWidth, mask, n, out, i);
    }
    pos += runBytes;
    i += n;
  }
  return pos;
}

/**
 * Whether a definition-level stream (bit width 1) is one RLE run of 1s covering all `count` values, the
 * usual case for a column without nulls, which then needs no per-value levels.
 */
export function allDefined(src: Uint8Array, pos: number, end: number, count: number): boolean {
  let header = 0;
  for (let shift = 0; pos < end; shift += 7) {
    const b = src[pos++];
    header += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return header % 2 === 0 && header / 2 >= count && pos < end && src[pos] === 1;
    if (shift > 28) return false;
  }
  return false;
}

/**
 * Decodes `count` dictionary indices (RLE / bit-packed hybrid of width `bitWidth`) from `src[pos..end)` and
 * writes `dictionary[index]` for each into `out` from `to`: one pass, no index array. Throws
 * `NotReadableHere` for an index past the dictionary. Numbers only: a function that also saw string
 * arrays would be optimised for both, and run several times slower (hence also the Int32Array-only
 * `decodeHybrid`).
 */
export function decodeDictionary(src: Uint8Array, pos: number, end: number, bitWidth: number, count: number, dictionary: Float64Array, out: Float64Array, to: number): void {
  if (bitWidth > 24) throw new NotReadableHere(`RLE bit width ${bitWidth}`);
  const byteWidth = (bitWidth + 7) >> 3;
  const mask = bitWidth === 0 ? 0 : (1 << bitWidth) - 1;
  const size = dictionary.length;
  let largest = 0;
  let i = 0;
  while (i < count) {
    if (pos >= end) throw new NotReadableHere('RLE data shorter than its values');
    const header = _runHeader(src, pos, end);
    pos = _afterHeader;
    if ((header & 1) === 0) {
      const run = Math.min(header >>> 1, count - i);
      let value = 0;
      for (let k = 0; k < byteWidth; k++) value |= src[pos + k] << (8 * k);
      pos += byteWidth;
      if (value >= size) throw new NotReadableHere('dictionary index out of range');
      out.fill(dictionary[value], to + i, to + i + run);
      i += run;
      continue;
    }
    const groups = header >>> 1;
    const runBytes = groups * bitWidth;
    const n = Math.min(groups * 8, count - i);
    // Only the bytes of the values read must be there: a last run may be cut short of its padding.
    if (pos + ((n * bitWidth + 7) >> 3) > end) throw new NotReadableHere('bit-packed run past the page end');
    // Whole groups of 8 values (bitWidth bytes each) while a 4-byte read at any value's first byte stays
    // inside the data: each value is then one shift and mask of that word (~40 % faster than a running
    // bit buffer). The rest, at most the run's last group or two, byte by byte.
    const base = to + i;
    let p = pos;
    let k = 0;
    // Widths 4 and 8 (dictionaries of 9–16 and 129–256 entries, common for codes and small sets) by bytes.
    if (bitWidth === 4) {
      for (; k + 2 <= n; k += 2, p++) {
        const b = src[p];
        largest = Math.max(largest, b & 15, b >>> 4);
        out[base + k] = dictionary[b & 15];
        out[base + k + 1] = dictionary[b >>> 4];
      }
    } else if (bitWidth === 8) {
      for (; k < n; k++, p++) {
        const index = src[p];
        largest = Math.max(largest, index);
        out[base + k] = dictionary[index];
      }
    }
    for (; k + 8 <= n && p + bitWidth + 3 <= end; k += 8, p += bitWidth) {
      for (let j = 0, bit = 0; j < 8; j++, bit += bitWidth) {
        const at = p + (bit >>> 3);
        const index = ((src[at] | (src[at + 1] << 8) | (src[at + 2] << 16) | (src[at + 3] << 24)) >>> (bit & 7)) & mask;
        largest = Math.max(largest, index);
        out[base + k + j] = dictionary[index];
      }
    }
    let buffer = 0;
    let bits = 0;
    for (; k < n; k++) {
      while (bits < bitWidth) {
        buffer |= src[p++] << bits;
        bits += 8;
      }
      const index = buffer & mask;
      buffer >>>= bitWidth;
      bits -= bitWidth;
      largest = Math.max(largest, index);
      out[base + k] = dictionary[index];
    }
    pos += runBytes;
    i += n;
  }
  if (largest >= size) throw new NotReadableHere('dictionary index out of range');
}

/** Where the last `_runHeader` ended (a module variable rather than an object, to keep the loops allocation-free). */
let _afterHeader = 0;

/**
 * A run header (unsigned varint) at `pos`, as a small integer: integer arithmetic keeps the decoders'
 * positions small integers, which V8's typed-array loads need to stay fast (a double index made them
 * ten times slower).
 */
function _runHeader(src: Uint8Array, pos: number, end: number): number {
  let header = 0;
  for (let shift = 0; pos < end; shift += 7) {
    const b = src[pos++];
    header |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) {
      _afterHeader = pos;
      return header >>> 0;
    }
    if (shift >= 21) break;
  }
  throw new NotReadableHere('bad RLE run header');
}

/** Unpacks `n` bit-packed values of width `bitWidth` (1..24) from `src[pos..end)` into `out` from `at` (as `decodeDictionary` does). */
function _unpack(src: Uint8Array, pos: number, end: number, bitWidth: number, mask: number, n: number, out: Int32Array, at: number): void {
  let p = pos;
  let k = 0;
  for (; k + 8 <= n && p + bitWidth + 3 <= end; k += 8, p += bitWidth) {
    for (let j = 0, bit = 0; j < 8; j++, bit += bitWidth) {
      const b = p + (bit >>> 3);
      out[at + k + j] = ((src[b] | (src[b + 1] << 8) | (src[b + 2] << 16) | (src[b + 3] << 24)) >>> (bit & 7)) & mask;
    }
  }
  let buffer = 0;
  let bits = 0;
  for (; k < n; k++) {
    while (bits < bitWidth) {
      buffer |= src[p++] << bits;
      bits += 8;
    }
    out[at + k] = buffer & mask;
    buffer >>>= bitWidth;
    bits -= bitWidth;
  }
}
