/** Options of {@link CsvTokenizer}: single characters, as in pandas' C parser. */
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
 * A pull tokenizer for RFC 4180 text already in memory as a string. The file loaders stream bytes
 * through `CsvByteTokenizer` (csv-bytes.ts, same syntax) instead; this one stays for callers holding a string.
 * `next(fields)` fills a caller-owned array with one record's
 * fields, so reading a file allocates only the field strings, never an object per row.
 * Newlines are `\n`, `\r\n` or a lone `\r`; line numbers count physical lines, 1-based.
 * A quote in the middle of an unquoted field is literal, and text after a closing quote is appended
 * to the field, as pandas' C parser does, rather than failing.
 * @example
 * const tok = new CsvTokenizer('a,b\n"1,5",2\n', { sep: ',', quote: '"' });
 * const fields: string[] = [];
 * tok.next(fields); // 1, fields = ['a', 'b']
 * tok.next(fields); // 2, fields = ['1,5', '2']
 * tok.next(fields); // 0 (end of input)
 */
export class CsvTokenizer {
  readonly #text: string;
  readonly #sep: number;
  readonly #quote: number;
  readonly #comment: number;
  #pos = 0;
  #line = 1;
  #blank = false;

  constructor(text: string, options: CsvTokenizerOptions) {
    this.#text = text;
    this.#sep = options.sep.charCodeAt(0);
    this.#quote = options.quote.charCodeAt(0);
    this.#comment = options.comment === undefined ? -1 : options.comment.charCodeAt(0);
  }

  /**
   * True when the record last read was a blank line: only whitespace or a comment, no separator and
   * no quote. pandas skips such lines (`skip_blank_lines=True`), and so do we.
   */
  get blank(): boolean {
    return this.#blank;
  }

  /** Reads the next record into `fields` (cleared first); returns its first line number, or 0 at the end. */
  next(fields: string[]): number {
    fields.length = 0;
    const text = this.#text;
    const n = text.length;
    if (this.#pos >= n) return 0;
    const startLine = this.#line;
    const sep = this.#sep;
    const comment = this.#comment;
    let pos = this.#pos;
    let structured = false;
    for (;;) {
      let value: string;
      if (pos < n && text.charCodeAt(pos) === this.#quote) {
        structured = true;
        [value, pos] = this.#readQuoted(pos);
      } else {
        const start = pos;
        while (pos < n) {
          const c = text.charCodeAt(pos);
          if (c === sep || c === _LF || c === _CR || c === comment) break;
          pos++;
        }
        value = text.slice(start, pos);
      }
      fields.push(value);
      if (pos >= n) break;
      const c = text.charCodeAt(pos);
      if (c === sep) {
        structured = true;
        pos++;
        continue;
      }
      if (c === comment) while (pos < n && text.charCodeAt(pos) !== _LF && text.charCodeAt(pos) !== _CR) pos++;
      pos = this.#skipNewline(pos);
      break;
    }
    this.#pos = pos;
    this.#blank = !structured && fields[0].trim() === '';
    return startLine;
  }

  /** Reads a quoted field starting at the quote at `pos`; returns the value and the position after it. */
  #readQuoted(pos: number): [string, number] {
    const text = this.#text;
    const n = text.length;
    const q = this.#quote;
    const startLine = this.#line;
    let out = '';
    let segment = ++pos;
    for (;;) {
      if (pos >= n) throw new CsvSyntaxError(`unterminated quoted field starting on line ${startLine}`, startLine);
      const c = text.charCodeAt(pos);
      if (c === q) {
        if (pos + 1 < n && text.charCodeAt(pos + 1) === q) {
          out += text.slice(segment, pos + 1);
          pos += 2;
          segment = pos;
          continue;
        }
        out += text.slice(segment, pos);
        pos++;
        break;
      }
      if (c === _LF || (c === _CR && text.charCodeAt(pos + 1) !== _LF)) this.#line++;
      pos++;
    }
    const rest = pos;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === this.#sep || c === _LF || c === _CR || c === this.#comment) break;
      pos++;
    }
    return [rest === pos ? out : out + text.slice(rest, pos), pos];
  }

  /** Consumes one `\n`, `\r\n` or `\r` at `pos` (if any) and counts the line. */
  #skipNewline(pos: number): number {
    const text = this.#text;
    if (pos >= text.length) return pos;
    const c = text.charCodeAt(pos);
    if (c === _CR && text.charCodeAt(pos + 1) === _LF) pos += 2;
    else if (c === _CR || c === _LF) pos++;
    else return pos;
    this.#line++;
    return pos;
  }
}

const _LF = 10;
const _CR = 13;
