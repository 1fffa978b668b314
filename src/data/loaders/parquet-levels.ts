import { NotReadableHere } from './parquet-footer.js';

/**
 * Decodes `count` values of Parquet's RLE / bit-packed hybrid encoding (definition levels, dictionary
 * indices) of width `bitWidth` from `src[pos..end)` into `out`; returns the position after the runs read.
 */
export function decodeHybrid(src: Uint8Array, pos: number, end: number, bitWidth: number, count: number, out: Int32Array | Uint8Array): number {
  // Wider values would overflow the 32-bit bit buffer below; no dictionary comes near 2^24 entries.
  if (bitWidth > 24) throw new NotReadableHere(`RLE bit width ${bitWidth}`);
  const byteWidth = (bitWidth + 7) >> 3;
  const mask = bitWidth === 0 ? 0 : (1 << bitWidth) - 1;
  let i = 0;
  while (i < count) {
    if (pos >= end) throw new NotReadableHere('RLE data shorter than its values');
    let header = 0;
    for (let shift = 0; ; shift += 7) {
      const b = src[pos++];
      header += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      if (shift > 28) throw new NotReadableHere('bad RLE run header');
    }
    if ((header & 1) === 0) {
      const run = Math.min(header / 2, count - i);
      let value = 0;
      for (let k = 0; k < byteWidth; k++) value |= src[pos + k] << (8 * k);
      pos += byteWidth;
      out.fill(value, i, i + run);
      i += run;
      continue;
    }
    const groups = (header - 1) / 2;
    const runBytes = groups * bitWidth;
    if (pos + runBytes > end) throw new NotReadableHere('bit-packed run past the page end');
    const n = Math.min(groups * 8, count - i);
    if (bitWidth === 1) {
      for (let k = 0; k < n; k++) out[i + k] = (src[pos + (k >> 3)] >> (k & 7)) & 1;
    } else {
      // Each value lies within the 32-bit little-endian word at its first byte (width ≤ 24, shift ≤ 7);
      // the last values, whose word would reach past the data, are read byte by byte.
      let k = 0;
      for (; k < n; k++) {
        const bit = k * bitWidth;
        const at = pos + (bit >>> 3);
        if (at + 3 >= end) break;
        const word = src[at] | (src[at + 1] << 8) | (src[at + 2] << 16) | (src[at + 3] << 24);
        out[i + k] = (word >>> (bit & 7)) & mask;
      }
      for (; k < n; k++) {
        const bit = k * bitWidth;
        let value = 0;
        for (let b = 0; b < bitWidth; b++) {
          const at = bit + b;
          value |= ((src[pos + (at >>> 3)] >> (at & 7)) & 1) << b;
        }
        out[i + k] = value;
      }
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
