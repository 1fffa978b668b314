/** Thrown for a Snappy block that does not decode to its stated length. */
export class SnappyError extends Error {}

/**
 * Decompresses a raw Snappy block (Parquet's SNAPPY codec: no framing) into `out` from `at`; returns the
 * decompressed length. Literals are copied with `set` (native memcpy), so incompressible data (random
 * doubles, mostly one literal per 64 KiB) costs little more than a copy.
 */
export function snappyDecompress(input: Uint8Array, out: Uint8Array, at = 0): number {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length || shift > 28) throw new SnappyError('bad Snappy length');
    const b = input[pos++];
    length += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
  }
  if (at + length > out.length) throw new SnappyError('Snappy output larger than stated');
  const end = at + length;
  let o = at;
  while (pos < input.length) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const bytes = n - 59;
        n = 0;
        for (let i = 0; i < bytes; i++) n += input[pos + i] * 2 ** (8 * i);
        pos += bytes;
      }
      n += 1;
      if (pos + n > input.length || o + n > end) throw new SnappyError('Snappy literal out of bounds');
      if (n < 32) for (let i = 0; i < n; i++) out[o + i] = input[pos + i];
      else out.set(input.subarray(pos, pos + n), o);
      pos += n;
      o += n;
      continue;
    }
    let n: number;
    let offset: number;
    if (kind === 1) {
      n = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos];
      pos += 1;
    } else if (kind === 2) {
      n = (tag >>> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      n = (tag >>> 2) + 1;
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16) | (input[pos + 3] << 24)) >>> 0;
      pos += 4;
    }
    if (offset === 0 || o - offset < at || o + n > end) throw new SnappyError('Snappy copy out of bounds');
    // Overlapping copies (offset < n) repeat a pattern, so they go byte by byte.
    if (offset >= n && n >= 32) out.copyWithin(o, o - offset, o - offset + n);
    else for (let i = 0; i < n; i++) out[o + i] = out[o - offset + i];
    o += n;
  }
  if (o !== end) throw new SnappyError('Snappy data shorter than stated');
  return length;
}
