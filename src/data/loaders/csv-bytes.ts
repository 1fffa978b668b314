/** Options of {@link CsvByteTokenizer}: single ASCII characters, as in pandas' C parser. */
export interface CsvTokenizerOptions {
  /** Field separator, e.g. `,` or `\t`. */
  readonly sep: string;
  /** Quote character; a field that starts with it may hold separators, newlines and doubled quotes. */
  readonly quote: string;
  /** Comment character: the rest of the line is ignored (outside quotes). */
  readonly comment?: string;
}

/** Thrown for an unterminated quoted field; the loader turns it into a PldError naming the file. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * A push tokenizer over the raw bytes of a delimited file, fed one chunk at a time, so a file is
 * never held in memory whole. For each record it fills `starts`/`ends` with byte offsets into the
 * chunk (`ends[j] === -1` marks a quoted field, whose unescaped text is in `quoted[j]`) and calls
 * the callback; the caller decodes or parses only the fields it keeps. The syntax is that of pandas'
 * C parser: RFC 4180 quotes with doubled quotes, `\n`/`\r\n`/`\r` newlines, comments, a quote inside
 * an unquoted field kept literally, and text after a closing quote appended to the field. The separator, quote and
 * comment characters must be ASCII; fields are decoded by the caller.
 * @example
 * const tok = new CsvByteTokenizer({ sep: ',', quote: '"' }, (b, s, e) => b.toString('utf8', s, e));
 * const used = tok.feed(Buffer.from('a,b\n1,'), false, () => true); // 4: '1,' waits for more bytes
 */
export class CsvByteTokenizer {
  /** Byte offset where each field of the current record starts. */
  starts = new Int32Array(64);
  /** Byte offset after each field, or -1 for a quoted field. */
  ends = new Int32Array(64);
  /**
   * Each field's value when it is a plain decimal whose digits fit below 2^53 (exactly as
   * `Number()` reads it), else `NaN`: the caller then parses the text itself.
   */
  values = new Float64Array(64);
  /** The text of quoted fields, by field index (stale entries for unquoted fields). */
  quoted: string[] = [];
  /** Number of fields in the current record. */
  count = 0;
  /** First physical line (1-based) of the current record. */
  line = 0;
  /** Byte offset in the fed data just after the current record. */
  end = 0;
  /** True when the current record is blank: only whitespace or a comment (pandas skips those). */
  blank = false;
  readonly #sep: number;
  readonly #quote: number;
  readonly #comment: number;
  readonly #quoteText: string;
  readonly #decode: (data: Buffer, start: number, end: number) => string;
  #nextLine = 1;

  constructor(options: CsvTokenizerOptions, decode: (data: Buffer, start: number, end: number) => string) {
    this.#sep = options.sep.charCodeAt(0);
    this.#quote = options.quote.charCodeAt(0);
    this.#comment = options.comment === undefined ? -1 : options.comment.charCodeAt(0);
    this.#quoteText = options.quote;
    this.#decode = decode;
  }

  /**
   * Tokenizes the complete records at the start of `data`, calling `onRecord` for each; returns how
   * many bytes were used. The caller keeps the rest and passes it again, followed by more bytes
   * (`final` says there are no more). `onRecord` returns false to stop early.
   */
  feed(data: Buffer, final: boolean, onRecord: () => boolean): number {
    const n = data.length;
    let pos = 0;
    while (pos < n) {
      const startLine = this.#nextLine;
      const end = this.#record(data, pos, final);
      if (end < 0) {
        this.#nextLine = startLine;
        return pos;
      }
      pos = end;
      this.line = startLine;
      this.end = pos;
      if (!onRecord()) return pos;
    }
    return pos;
  }

  /** Reads one record starting at `pos`; returns the position after it, or -1 when it is incomplete. */
  #record(data: Buffer, pos: number, final: boolean): number {
    const n = data.length;
    const sep = this.#sep;
    const comment = this.#comment;
    let count = 0;
    let structured = false;
    let starts = this.starts;
    let ends = this.ends;
    let values = this.values;
    for (;;) {
      if (count === starts.length) {
        this.#grow();
        starts = this.starts;
        ends = this.ends;
        values = this.values;
      }
      if (pos < n && data[pos] === this.#quote) {
        structured = true;
        pos = this.#quotedField(data, pos, count, final);
        if (pos < 0) return -1;
      } else {
        // One pass finds the field's end and reads a plain decimal (`-12.5`) on the way, so numeric
        // columns never scan their bytes twice. Anything else (exponents, text) leaves NaN here.
        const start = pos;
        let mantissa = 0;
        let scale = 0;
        let digits = 0;
        let state = 0; // 0: integer part, 1: fraction, 2: not a plain decimal
        if (pos < n && data[pos] === _MINUS) pos++;
        while (pos < n) {
          const c = data[pos];
          const d = c - _ZERO;
          if (d >= 0 && d <= 9) {
            mantissa = mantissa * 10 + d;
            digits++;
            scale -= state & 1;
          } else if (c === sep || c === _LF || c === _CR || c === comment) break;
          else state = c === _DOT && state === 0 ? 1 : 2;
          pos++;
        }
        starts[count] = start;
        ends[count] = pos;
        let value = Number.NaN;
        // Below 2^53 every step of the mantissa was exact (it only grows), so one division rounds correctly.
        if (state !== 2 && digits > 0 && mantissa < _EXACT && scale >= -22) {
          value = scale === 0 ? mantissa : mantissa / _POW10[-scale];
          if (data[start] === _MINUS) value = -value;
        }
        values[count] = value;
      }
      count++;
      if (pos >= n) {
        if (!final) return -1;
        break;
      }
      let c = data[pos];
      if (c === sep) {
        structured = true;
        pos++;
        continue;
      }
      if (c === comment) {
        while (pos < n && data[pos] !== _LF && data[pos] !== _CR) pos++;
        if (pos >= n) {
          if (!final) return -1;
          break;
        }
        c = data[pos];
      }
      if (c === _CR) {
        if (pos + 1 >= n && !final) return -1;
        pos += data[pos + 1] === _LF ? 2 : 1;
      } else pos++;
      this.#nextLine++;
      break;
    }
    this.count = count;
    this.blank = !structured && count === 1 && _isBlank(data, starts[0], ends[0]);
    return pos;
  }

  /** Reads the quoted field at `pos` into `quoted[index]`; returns the position after it, -1 if incomplete. */
  #quotedField(data: Buffer, pos: number, index: number, final: boolean): number {
    const n = data.length;
    const q = this.#quote;
    const startLine = this.#nextLine;
    const open = pos + 1;
    let doubled = false;
    pos = open;
    for (;;) {
      if (pos >= n) {
        if (final) throw new CsvSyntaxError(`unterminated quoted field starting on line ${startLine}`, startLine);
        return -1;
      }
      const c = data[pos];
      if (c === q) {
        if (pos + 1 >= n && !final) return -1;
        if (data[pos + 1] === q) {
          doubled = true;
          pos += 2;
          continue;
        }
        break;
      }
      if (c === _LF || (c === _CR && data[pos + 1] !== _LF)) this.#nextLine++;
      pos++;
    }
    let value = this.#decode(data, open, pos);
    if (doubled) value = value.replaceAll(this.#quoteText + this.#quoteText, this.#quoteText);
    const rest = ++pos;
    while (pos < n) {
      const c = data[pos];
      if (c === this.#sep || c === _LF || c === _CR || c === this.#comment) break;
      pos++;
    }
    if (pos > rest) value += this.#decode(data, rest, pos);
    this.quoted[index] = value;
    this.values[index] = Number.NaN;
    this.starts[index] = 0;
    this.ends[index] = -1;
    return pos;
  }

  #grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    const values = new Float64Array(this.values.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    values.set(this.values);
    this.starts = starts;
    this.ends = ends;
    this.values = values;
  }
}

/**
 * Parses a plain decimal number (`-12.5`, `3e-4`, `.5`) straight from bytes, without making a string.
 * Exact: it only answers when the digits fit in 15 significant figures and the power of ten is at most
 * 22, where one IEEE multiplication or division of exact operands is correctly rounded (Clinger's fast
 * path), so it always agrees with `Number()`. Returns `NaN` for anything else (whitespace, `inf`, more
 * digits, text), and the caller falls back to parsing the string.
 * @example
 * parseDecimalBytes(Buffer.from('-2.50'), 0, 5); // -2.5
 */
export function parseDecimalBytes(data: Uint8Array, start: number, end: number): number {
  // Every read is bounds-checked against `end`: reading past a typed array deoptimizes the loop.
  let i = start;
  let negative = false;
  if (i < end && (data[i] === _MINUS || data[i] === _PLUS)) negative = data[i++] === _MINUS;
  let mantissa = 0;
  let significant = 0;
  let scale = 0;
  let digits = 0;
  for (; i < end; i++) {
    const d = data[i] - _ZERO;
    if (d < 0 || d > 9) break;
    if (mantissa !== 0 || d !== 0) significant++;
    mantissa = mantissa * 10 + d;
    digits++;
  }
  if (i < end && data[i] === _DOT) {
    for (i++; i < end; i++) {
      const d = data[i] - _ZERO;
      if (d < 0 || d > 9) break;
      if (mantissa !== 0 || d !== 0) significant++;
      mantissa = mantissa * 10 + d;
      scale--;
      digits++;
    }
  }
  if (digits === 0 || significant > 15) return Number.NaN;
  if (i < end) {
    if (data[i] !== _LOWER_E && data[i] !== _UPPER_E) return Number.NaN;
    i++;
    let expNegative = false;
    if (i < end && (data[i] === _MINUS || data[i] === _PLUS)) expNegative = data[i++] === _MINUS;
    let exponent = 0;
    let expDigits = 0;
    for (; i < end && expDigits < 5; i++) {
      const d = data[i] - _ZERO;
      if (d < 0 || d > 9) break;
      exponent = exponent * 10 + d;
      expDigits++;
    }
    if (expDigits === 0 || i !== end) return Number.NaN;
    scale += expNegative ? -exponent : exponent;
  }
  let value: number;
  if (mantissa === 0) value = 0;
  else if (scale === 0) value = mantissa;
  else if (scale > 0 && scale <= 22) value = mantissa * _POW10[scale];
  else if (scale < 0 && scale >= -22) value = mantissa / _POW10[-scale];
  else return Number.NaN;
  return negative ? -value : value;
}

function _isBlank(data: Uint8Array, start: number, end: number): boolean {
  if (end < 0) return false;
  for (let i = start; i < end; i++) {
    const c = data[i];
    if (c !== _SPACE && c !== _TAB) return false;
  }
  return true;
}

// Parsed from text, which is correctly rounded (and 1e0..1e22 are exact doubles).
const _POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const _EXACT = 2 ** 53;
const _LF = 10;
const _CR = 13;
const _TAB = 9;
const _SPACE = 32;
const _PLUS = 43;
const _MINUS = 45;
const _DOT = 46;
const _ZERO = 48;
const _NINE = 57;
const _LOWER_E = 101;
const _UPPER_E = 69;
