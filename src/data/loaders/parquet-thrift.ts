/**
 * A reader of Thrift's compact protocol, enough for Parquet's footer and page headers. Structs are read
 * generically, as objects keyed by field id, so unknown fields (newer Parquet writers) are skipped
 * by their wire type rather than breaking the read.
 */

/** A decoded Thrift value: numbers (i64 as a double: offsets and counts), bytes, lists and structs. */
export type ThriftValue = number | boolean | Uint8Array | ThriftValue[] | ThriftStruct;
/** A struct: the value of field `id` under key `id` (lists are arrays, structs are not). */
export type ThriftStruct = { readonly [id: number]: ThriftValue | undefined };

/** Thrown for bytes that are not valid compact-protocol Thrift (a corrupt or truncated footer). */
export class ThriftError extends Error {}

export class ThriftReader {
  readonly #bytes: Uint8Array;
  pos: number;

  constructor(bytes: Uint8Array, pos = 0) {
    this.#bytes = bytes;
    this.pos = pos;
  }

  /** Reads a struct from the current position up to its STOP field. */
  struct(): ThriftStruct {
    const fields: Record<number, ThriftValue> = {};
    let id = 0;
    for (;;) {
      const header = this.#byte();
      const type = header & 0x0f;
      if (type === 0) return fields;
      const delta = header >> 4;
      id = delta === 0 ? _unzigzag(this.#varint()) : id + delta;
      if (type === 1 || type === 2) fields[id] = type === 1;
      else fields[id] = this.#value(type);
    }
  }

  #value(type: number): ThriftValue {
    switch (type) {
      case 1:
        return true;
      case 2:
        return false;
      case 3: {
        const b = this.#byte();
        return b > 127 ? b - 256 : b;
      }
      case 4:
      case 5:
      case 6:
        return _unzigzag(this.#varint());
      case 7: {
        const view = new DataView(this.#bytes.buffer, this.#bytes.byteOffset + this.pos, 8);
        this.pos += 8;
        return view.getFloat64(0, true);
      }
      case 8: {
        const length = this.#varint();
        if (this.pos + length > this.#bytes.length) throw new ThriftError('binary field past the end');
        const value = this.#bytes.subarray(this.pos, this.pos + length);
        this.pos += length;
        return value;
      }
      case 9:
      case 10: {
        const header = this.#byte();
        const size = header >> 4 === 15 ? this.#varint() : header >> 4;
        const elementType = header & 0x0f;
        const list: ThriftValue[] = [];
        // In lists, booleans are one byte each (1 true, 2 false), not packed in a field header.
        for (let i = 0; i < size; i++) list.push(elementType === 1 || elementType === 2 ? this.#byte() === 1 : this.#value(elementType));
        return list;
      }
      case 11: {
        const size = this.#varint();
        if (size === 0) return [];
        const types = this.#byte();
        const pairs: ThriftValue[] = [];
        for (let i = 0; i < size; i++) pairs.push([this.#value(types >> 4), this.#value(types & 0x0f)]);
        return pairs;
      }
      case 12:
        return this.struct();
      default:
        throw new ThriftError(`unknown compact-protocol type ${type}`);
    }
  }

  #byte(): number {
    if (this.pos >= this.#bytes.length) throw new ThriftError('unexpected end of Thrift data');
    return this.#bytes[this.pos++];
  }

  /** An unsigned varint, as a double (exact up to 2^53, beyond any Parquet offset or count). */
  #varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.#byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
      if (scale > 2 ** 63) throw new ThriftError('varint too long');
    }
  }
}

function _unzigzag(n: number): number {
  // n is a non-negative double; zigzag: even → n/2, odd → -(n+1)/2.
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

/** Field `id` of `s` as a number, or `fallback` when absent. */
export function num(s: ThriftStruct | undefined, id: number, fallback = Number.NaN): number {
  const value = s?.[id];
  return typeof value === 'number' ? value : fallback;
}

/** Field `id` of `s` as a struct, or undefined. */
export function sub(s: ThriftStruct | undefined, id: number): ThriftStruct | undefined {
  const value = s?.[id];
  return typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array) ? value : undefined;
}

/** Field `id` of `s` as a list, or an empty one. */
export function list(s: ThriftStruct | undefined, id: number): ThriftValue[] {
  const value = s?.[id];
  return Array.isArray(value) ? value : [];
}

const _utf8 = new TextDecoder();

/** Field `id` of `s` as a UTF-8 string, or undefined. */
export function str(s: ThriftStruct | undefined, id: number): string | undefined {
  const value = s?.[id];
  return value instanceof Uint8Array ? _utf8.decode(value) : undefined;
}
