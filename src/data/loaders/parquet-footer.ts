import { fstatSync, readSync } from 'node:fs';
import { list, num, str, sub, ThriftReader, type ThriftStruct } from './parquet-thrift.js';

/** Parquet's physical types (parquet.thrift `Type`). */
export const PhysicalType = { BOOLEAN: 0, INT32: 1, INT64: 2, INT96: 3, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6, FIXED_LEN_BYTE_ARRAY: 7 } as const;

/** A leaf column of a flat schema. */
export interface LeafColumn {
  readonly name: string;
  readonly physicalType: number;
  /** 0 required, 1 optional (2 repeated is not a flat column). */
  readonly repetition: number;
  readonly convertedType: number | undefined;
  /** The `LogicalType` union's set field id (1 STRING, 10 INTEGER...), undefined when absent. */
  readonly logicalType: number | undefined;
  readonly logical: ThriftStruct | undefined;
}

/** Where one column's data lies in one row group. */
export interface ColumnChunkMeta {
  readonly physicalType: number;
  readonly codec: number;
  /** The encodings its pages use (values and levels), as the footer lists them. */
  readonly encodings: readonly number[];
  readonly numValues: number;
  /** File offset of the first page (the dictionary page when there is one). */
  readonly start: number;
  readonly compressedSize: number;
  /** Set when the chunk's data lives in another file (never written by the common writers). */
  readonly externalPath: string | undefined;
}

export interface RowGroupMeta {
  readonly numRows: number;
  /** In schema leaf order. */
  readonly columns: readonly ColumnChunkMeta[];
}

export interface FileMeta {
  readonly numRows: number;
  /** The leaf columns, or undefined when the schema is nested (groups, lists, maps). */
  readonly leaves: readonly LeafColumn[] | undefined;
  readonly rowGroups: readonly RowGroupMeta[];
}

/** Thrown when a file is not Parquet as this reader knows it; the loader then reads it with DuckDB. */
export class NotReadableHere extends Error {}

/** Reads and decodes the footer of the open Parquet file `fd`. */
export function readFooter(fd: number): FileMeta {
  const size = fstatSync(fd).size;
  if (size < 12) throw new NotReadableHere('too small for Parquet');
  const tail = Buffer.alloc(8);
  readSync(fd, tail, 0, 8, size - 8);
  if (tail.toString('latin1', 4, 8) !== 'PAR1') throw new NotReadableHere('no PAR1 magic (encrypted or not Parquet)');
  const length = tail.readUInt32LE(0);
  if (length + 12 > size) throw new NotReadableHere('footer length past the file start');
  const footer = Buffer.alloc(length);
  readSync(fd, footer, 0, length, size - 8 - length);
  return _fileMeta(new ThriftReader(footer).struct());
}

function _fileMeta(meta: ThriftStruct): FileMeta {
  const schema = list(meta, 2) as ThriftStruct[];
  const root = schema[0];
  const children = num(root, 5, 0);
  // Flat: the root's children are all leaves (no num_children of their own) and not repeated.
  const flat = schema.length === children + 1 && schema.slice(1).every((e) => num(e, 5, 0) === 0 && num(e, 3, 0) !== 2);
  const leaves = flat
    ? schema.slice(1).map((e): LeafColumn => {
        const logical = sub(e, 10);
        const logicalType = logical === undefined ? undefined : Number(Object.keys(logical)[0]);
        return {
          name: str(e, 4) ?? '',
          physicalType: num(e, 1, -1),
          repetition: num(e, 3, 0),
          convertedType: e[6] === undefined ? undefined : num(e, 6),
          logicalType,
          logical,
        };
      })
    : undefined;
  const rowGroups = (list(meta, 4) as ThriftStruct[]).map(
    (group): RowGroupMeta => ({
      numRows: num(group, 3),
      columns: (list(group, 1) as ThriftStruct[]).map((chunk): ColumnChunkMeta => {
        const column = sub(chunk, 3);
        const dictionary = num(column, 11, -1);
        const data = num(column, 9);
        // Some writers set a dictionary offset of 0 for "none"; a real one is before the data pages.
        const start = dictionary > 0 && dictionary < data ? dictionary : data;
        return {
          physicalType: num(column, 1),
          codec: num(column, 4),
          encodings: list(column, 2).filter((e): e is number => typeof e === 'number'),
          numValues: num(column, 5),
          start,
          compressedSize: num(column, 7),
          externalPath: str(chunk, 1),
        };
      }),
    }),
  );
  return { numRows: num(meta, 3), leaves, rowGroups };
}
