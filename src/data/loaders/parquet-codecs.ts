import { createRequire } from 'node:module';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { NotReadableHere } from './parquet-footer.js';
import { snappyDecompress } from './parquet-snappy.js';

/** Parquet's compression codecs (parquet.thrift `CompressionCodec`) this reader decompresses. */
export const Codec = { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2, BROTLI: 4, ZSTD: 6 } as const;

/** Decompresses a zstd frame into `out`; returns the bytes written. */
type ZstdDecompress = (out: Uint8Array, input: Uint8Array) => number;
let _zstd: ZstdDecompress | null | undefined;

/**
 * The native zstd library's `ZSTD_decompressDCtx` through zstd-napi's low-level binding (which, unlike its
 * one-shot `decompress`, writes into a buffer of ours, so pages reuse one buffer), loaded on first use;
 * null when the package is not installed or does not load (Node 20's zlib has no zstd): ZSTD files are
 * then read by DuckDB.
 */
function _loadZstd(): ZstdDecompress | null {
  if (_zstd !== undefined) return _zstd;
  try {
    const binding = createRequire(import.meta.url)('zstd-napi/binding') as { DCtx: new () => { decompress(out: Uint8Array, input: Uint8Array): number } };
    const context = new binding.DCtx();
    _zstd = (out, input) => context.decompress(out, input);
  } catch {
    _zstd = null;
  }
  return _zstd;
}

/** Whether pages of `codec` can be decompressed here. */
export function canDecompress(codec: number): boolean {
  if (codec === Codec.ZSTD) return _loadZstd() !== null;
  return codec === Codec.UNCOMPRESSED || codec === Codec.SNAPPY || codec === Codec.GZIP || codec === Codec.BROTLI;
}

/**
 * Decompresses one page's bytes to exactly `size` bytes. Snappy and zstd decode into `scratch` (grown as
 * needed, reused page after page); the zlib codecs return fresh buffers. Uncompressed pages are returned as they are.
 */
export function decompress(codec: number, input: Uint8Array, size: number, scratch: { bytes: Uint8Array }): Uint8Array {
  let out: Uint8Array;
  switch (codec) {
    case Codec.UNCOMPRESSED:
      out = input;
      break;
    case Codec.SNAPPY:
      out = _scratch(scratch, size).subarray(0, snappyDecompress(input, _scratch(scratch, size)));
      break;
    case Codec.GZIP:
      out = gunzipSync(input);
      break;
    case Codec.BROTLI:
      out = brotliDecompressSync(input);
      break;
    case Codec.ZSTD: {
      const zstd = _loadZstd();
      if (zstd === null) throw new NotReadableHere('no zstd decompressor');
      // One byte of room past `size`, so a frame larger than stated shows as a wrong length, not a fit.
      const bytes = _scratch(scratch, size + 1);
      out = bytes.subarray(0, zstd(bytes, input));
      break;
    }
    default:
      throw new NotReadableHere(`compression codec ${codec}`);
  }
  if (out.length !== size) throw new NotReadableHere(`page decompressed to ${out.length} bytes, ${size} stated`);
  return out;
}

function _scratch(scratch: { bytes: Uint8Array }, size: number): Uint8Array {
  if (scratch.bytes.length < size) scratch.bytes = new Uint8Array(Math.max(size, scratch.bytes.length * 2));
  return scratch.bytes;
}

/** Whether `decompressInto` handles `codec` (the codecs that can write into a buffer of ours). */
export function canDecompressInto(codec: number): boolean {
  return codec === Codec.SNAPPY || (codec === Codec.ZSTD && _loadZstd() !== null);
}

/** Decompresses one page of exactly `size` bytes into `out` at `at`; throws if it is not `size` bytes. */
export function decompressInto(codec: number, input: Uint8Array, size: number, out: Uint8Array, at: number): void {
  const target = out.subarray(at, at + size);
  if (target.length !== size) throw new NotReadableHere('no room for the page');
  let written: number;
  if (codec === Codec.SNAPPY) written = snappyDecompress(input, target);
  else if (codec === Codec.ZSTD && _zstd) written = _zstd(target, input);
  else throw new NotReadableHere(`compression codec ${codec}`);
  if (written !== size) throw new NotReadableHere(`page decompressed to ${written} bytes, ${size} stated`);
}
