import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, CsvTokenizer } from './csv-tokenizer.js';

function records(text: string, options: { sep?: string; quote?: string; comment?: string } = {}): { line: number; fields: string[]; blank: boolean }[] {
  const tokenizer = new CsvTokenizer(text, { sep: options.sep ?? ',', quote: options.quote ?? '"', comment: options.comment });
  const out = [];
  const fields: string[] = [];
  for (let line = tokenizer.next(fields); line !== 0; line = tokenizer.next(fields)) out.push({ line, fields: [...fields], blank: tokenizer.blank });
  return out;
}

describe('CsvTokenizer', () => {
  it('splits plain records and numbers physical lines', () => {
    expect(records('a,b\n1,2\n')).toEqual([
      { line: 1, fields: ['a', 'b'], blank: false },
      { line: 2, fields: ['1', '2'], blank: false },
    ]);
  });

  it('reads the last record without a trailing newline, and empty fields', () => {
    expect(records('1,,3\n,,').map((r) => r.fields)).toEqual([
      ['1', '', '3'],
      ['', '', ''],
    ]);
  });

  it('handles CRLF and lone CR line ends', () => {
    expect(records('a,b\r\n1,2\r\n3,4\r5,6').map((r) => [r.line, ...r.fields])).toEqual([
      [1, 'a', 'b'],
      [2, '1', '2'],
      [3, '3', '4'],
      [4, '5', '6'],
    ]);
  });

  it('reads quoted fields with separators, doubled quotes and newlines, and keeps counting lines', () => {
    const text = 'id,text\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,"crlf\r\ninside"\n5,x\n';
    expect(records(text).map((r) => [r.line, ...r.fields])).toEqual([
      [1, 'id', 'text'],
      [2, '1', 'a, b'],
      [3, '2', 'say "hi"'],
      [4, '3', 'two\nlines'],
      [6, '4', 'crlf\r\ninside'],
      [8, '5', 'x'],
    ]);
  });

  it('keeps a quote inside an unquoted field literal and appends text after a closing quote', () => {
    expect(records('ab"c,"d"e\n')[0].fields).toEqual(['ab"c', 'de']);
  });

  it('uses a configurable separator and quote character', () => {
    expect(records("a\t'x\ty'\n", { sep: '\t', quote: "'" })[0].fields).toEqual(['a', 'x\ty']);
  });

  it('marks blank and comment-only lines, but not quoted empty fields', () => {
    const result = records('1,2\n\n   \n# note\n""\n3,4 # tail\n', { comment: '#' });
    expect(result.map((r) => r.blank)).toEqual([false, true, true, true, false, false]);
    expect(result[5].fields).toEqual(['3', '4 ']);
  });

  it('keeps a comment character inside quotes', () => {
    expect(records('"a#b",c\n', { comment: '#' })[0].fields).toEqual(['a#b', 'c']);
  });

  it('reports an unterminated quote with the line it starts on', () => {
    const tokenizer = new CsvTokenizer('a,b\n1,"open\n\n', { sep: ',', quote: '"' });
    const fields: string[] = [];
    expect(tokenizer.next(fields)).toBe(1);
    let thrown: unknown;
    try {
      tokenizer.next(fields);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CsvSyntaxError);
    expect((thrown as CsvSyntaxError).line).toBe(2);
    expect((thrown as CsvSyntaxError).message).toContain('line 2');
  });
});
