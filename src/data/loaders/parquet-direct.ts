import { type FileHandle, open } from 'node:fs/promises';
import type { Column } from '../frame.js';
import { canDecompress } from './parquet-codecs.js';
import { type FileMeta, type LeafColumn, NotReadableHere, PhysicalType, readFooter } from './parquet-footer.js';
import { type ColumnDecoding, decodeChunk, PageScratch } from './parquet-pages.js';

/** The columns read, in the order asked for, with their Frame kind. */
export interface DirectRead {
  readonly names: readonly string[];
  readonly kinds: readonly ('number' | 'text')[];
  readonly columns: Column[];
}

/** The encodings the page decoders know: PLAIN, PLAIN_DICTIONARY, RLE (levels) and RLE_DICTIONARY. */
const _ENCODINGS = new Set([0, 2, 3, 8]);
const _CONVERTED_UTF8 = 0;
const _LOGICAL_STRING = 1;
const _LOGICAL_INTEGER = 10;
/** Converted types of INT32 read as numbers: UINT_8/16/32 and INT_8/16/32. */
const _INT32_CONVERTED = new Map([
  [11, true],
  [12, true],
  [13, true],
  [15, false],
  [16, false],
  [17, false],
]);
/** Converted types of INT64 read as numbers: UINT_64 and INT_64. */
const _INT64_CONVERTED = new Map([
  [14, true],
  [18, false],
]);

/**
 * Reads Parquet files straight into the loader's final columns, without DuckDB: the footer's Thrift,
 * then each column chunk's pages decompressed and decoded into the `Float64Array` (or string array) at
 * the row group's offset, with no per-vector copies and no intermediate values. Returns undefined when
 * anything is outside what it knows (nested schemas, dates, decimals, timestamps, LZ4/LZO, DELTA or
 * BYTE_STREAM_SPLIT encodings, a missing or unknown column, files whose schemas differ...): the loader
 * then reads with DuckDB, which also reports any error, so results never depend on this path.
 */
export async function readDirect(files: readonly string[], wanted: readonly string[] | undefined, target: string | undefined): Promise<DirectRead | undefined> {
  const handles = new _OpenFiles(files);
  try {
    // One file open at a time for the footers, and at most two while reading (a glob may match thousands).
    const metas: FileMeta[] = [];
    for (let file = 0; file < files.length; file++) {
      metas.push(readFooter((await handles.handle(file)).fd));
      await handles.close(file);
    }
    const plan = _plan(metas, wanted, target);
    if (plan === undefined) return undefined;
    const total = metas.reduce((sum, meta) => sum + meta.rowGroups.reduce((s, g) => s + g.numRows, 0), 0);
    const columns: Column[] = plan.decodings.map((d) => (d.kind === 'number' ? new Float64Array(total) : new Array<string | null>(total)));
    await _readAll(handles, metas, plan.indices, plan.decodings, columns);
    return { names: plan.names, kinds: plan.decodings.map((d) => d.kind), columns };
  } catch {
    // NotReadableHere, and I/O or decoding errors too: DuckDB reads the files again and words any error.
    return undefined;
  } finally {
    await handles.closeAll();
  }
}

/** The files' handles, opened on first use and closed when done with. */
class _OpenFiles {
  readonly #paths: readonly string[];
  readonly #open = new Map<number, Promise<FileHandle>>();

  constructor(paths: readonly string[]) {
    this.#paths = paths;
  }

  handle(file: number): Promise<FileHandle> {
    let handle = this.#open.get(file);
    if (handle === undefined) {
      handle = open(this.#paths[file], 'r');
      this.#open.set(file, handle);
    }
    return handle;
  }

  async close(file: number): Promise<void> {
    const handle = this.#open.get(file);
    this.#open.delete(file);
    await (await handle?.catch(() => undefined))?.close().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    for (const file of [...this.#open.keys()]) await this.close(file);
  }
}

interface _Plan {
  readonly names: string[];
  /** Leaf index of each column read. */
  readonly indices: number[];
  readonly decodings: ColumnDecoding[];
}

function _plan(metas: readonly FileMeta[], wanted: readonly string[] | undefined, target: string | undefined): _Plan | undefined {
  const leaves = metas[0].leaves;
  if (leaves === undefined) return undefined;
  for (const meta of metas) if (meta.leaves === undefined || !_sameSchema(leaves, meta.leaves)) return undefined;
  const names = leaves.map((leaf) => leaf.name);
  if (new Set(names).size !== names.length) return undefined;
  const selected = wanted === undefined ? names : [...wanted];
  if (target !== undefined && !names.includes(target)) return undefined;
  const indices: number[] = [];
  const decodings: ColumnDecoding[] = [];
  for (const name of selected) {
    const index = names.indexOf(name);
    const decoding = index < 0 ? undefined : _decoding(leaves[index]);
    if (decoding === undefined) return undefined;
    indices.push(index);
    decodings.push(decoding);
  }
  for (const meta of metas) {
    for (const group of meta.rowGroups) {
      if (group.columns.length !== leaves.length) return undefined;
      for (const index of indices) {
        const chunk = group.columns[index];
        if (chunk.externalPath !== undefined || chunk.numValues !== group.numRows || chunk.physicalType !== leaves[index].physicalType || !canDecompress(chunk.codec))
          return undefined;
      }
    }
  }
  return { names: selected, indices, decodings };
}

function _sameSchema(a: readonly LeafColumn[], b: readonly LeafColumn[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (leaf, k) =>
        leaf.name === b[k].name &&
        leaf.physicalType === b[k].physicalType &&
        leaf.repetition === b[k].repetition &&
        leaf.convertedType === b[k].convertedType &&
        leaf.logicalType === b[k].logicalType,
    )
  );
}

/** How a leaf becomes a Frame column, as DuckDB types it (see the loader's kinds); undefined when not handled here. */
function _decoding(leaf: LeafColumn): ColumnDecoding | undefined {
  if (leaf.repetition !== 0 && leaf.repetition !== 1) return undefined;
  const maxDefinition = leaf.repetition;
  const { physicalType, convertedType, logicalType } = leaf;
  const number = (unsigned: boolean): ColumnDecoding => ({ kind: 'number', physicalType, unsigned, maxDefinition });
  switch (physicalType) {
    case PhysicalType.DOUBLE:
    case PhysicalType.FLOAT:
    case PhysicalType.BOOLEAN:
      return convertedType === undefined && logicalType === undefined ? number(false) : undefined;
    case PhysicalType.INT32:
    case PhysicalType.INT64: {
      const converted = physicalType === PhysicalType.INT32 ? _INT32_CONVERTED : _INT64_CONVERTED;
      if (convertedType !== undefined && !converted.has(convertedType)) return undefined;
      if (logicalType !== undefined && logicalType !== _LOGICAL_INTEGER) return undefined;
      const integer = logicalType === _LOGICAL_INTEGER ? leaf.logical?.[_LOGICAL_INTEGER] : undefined;
      const signedByLogical = typeof integer === 'object' && !Array.isArray(integer) && !(integer instanceof Uint8Array) ? integer[2] : undefined;
      const unsigned = signedByLogical === false || (convertedType !== undefined && converted.get(convertedType) === true);
      return number(unsigned);
    }
    case PhysicalType.BYTE_ARRAY: {
      const isString =
        (convertedType === _CONVERTED_UTF8 && (logicalType === undefined || logicalType === _LOGICAL_STRING)) || (convertedType === undefined && logicalType === _LOGICAL_STRING);
      return isString ? { kind: 'text', physicalType, unsigned: false, maxDefinition } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Reads every selected column chunk, file by file and row group by row group, decoding each into the
 * columns at the row group's offset. The next chunk's bytes are read (in libuv's thread pool) while this
 * one is decoded, into the other of two buffers that are reused throughout; each file is closed once read.
 */
async function _readAll(files: _OpenFiles, metas: readonly FileMeta[], indices: readonly number[], decodings: readonly ColumnDecoding[], columns: Column[]): Promise<void> {
  interface Job {
    readonly file: number;
    readonly group: number;
    readonly column: number;
    readonly offset: number;
  }
  const jobs: Job[] = [];
  let offset = 0;
  metas.forEach((meta, file) => {
    meta.rowGroups.forEach((group, g) => {
      for (let column = 0; column < indices.length; column++) jobs.push({ file, group: g, column, offset });
      offset += group.numRows;
    });
  });
  const chunkOf = (job: Job) => metas[job.file].rowGroups[job.group].columns[indices[job.column]];
  const largest = jobs.reduce((max, job) => Math.max(max, chunkOf(job).compressedSize), 0);
  const buffers = [Buffer.allocUnsafe(largest), Buffer.allocUnsafe(largest)];
  const read = async (k: number): Promise<Uint8Array> => {
    const chunk = chunkOf(jobs[k]);
    const buffer = buffers[k % 2];
    const { bytesRead } = await (await files.handle(jobs[k].file)).read(buffer, 0, chunk.compressedSize, chunk.start);
    if (bytesRead !== chunk.compressedSize) throw new NotReadableHere('column chunk past the end of the file');
    return buffer.subarray(0, bytesRead);
  };
  const scratch = new PageScratch();
  let next = jobs.length > 0 ? read(0) : undefined;
  try {
    for (let k = 0; k < jobs.length; k++) {
      const bytes = await (next as Promise<Uint8Array>);
      next = k + 1 < jobs.length ? read(k + 1) : undefined;
      const job = jobs[k];
      decodeChunk(bytes, chunkOf(job), decodings[job.column], columns[job.column] as Float64Array | (string | null)[], job.offset, scratch);
      if (k + 1 === jobs.length || jobs[k + 1].file !== job.file) await files.close(job.file);
    }
  } finally {
    // A read still in flight after a failure must end before the files are closed.
    await next?.catch(() => undefined);
  }
}
