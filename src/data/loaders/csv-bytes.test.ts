import { describe, expect, it } from 'vitest';
import { CsvByteTokenizer, parseDecimalBytes } from './csv-bytes.js';

function parse(text: string): number {
  const bytes = Buffer.from(text, 'latin1');
  return parseDecimalBytes(bytes, 0, bytes.length);
}

/** Tokenizes `text` fed in pieces of `step` bytes, as the loader feeds file chunks. */
function records(text: string, step: number): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  const tok = new CsvByteTokenizer({ sep: ',', quote: '"', comment: '#' }, (b, s, e) => b.toString('utf8', s, e));
  const all = Buffer.from(text);
  let data = Buffer.alloc(0);
  const onRecord = (): boolean => {
    if (!tok.blank) {
      const fields = Array.from({ length: tok.count }, (_, j) => (tok.ends[j] < 0 ? tok.quoted[j] : data.toString('utf8', tok.starts[j], tok.ends[j])));
      out.push({ line: tok.line, fields });
    }
    return true;
  };
  for (let i = 0; i <= all.length; i += step) {
    data = Buffer.concat([data, all.subarray(i, i + step)]);
    const final = i + step >= all.length;
    data = data.subarray(tok.feed(data, final, onRecord));
    if (final) break;
  }
  return out;
}

describe('parseDecimalBytes', () => {
  it('agrees with Number() on plain decimals', () => {
    for (const text of ['0', '-0', '+1', '1.', '.5', '-12.25', '3e-4', '1E+10', '123456789012345', '0.000001', '9.999999e22', '1e-22', '007', '0.1', '2.675']) {
      expect(Object.is(parse(text), Number(text)), text).toBe(true);
    }
    // Random decimals with up to 15 significant digits, against the correctly rounded Number().
    let seed = 42;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const mismatches: string[] = [];
    let parsed = 0;
    for (let i = 0; i < 20000; i++) {
      const digits = String(next()).slice(0, 1 + (next() % 9)) + String(next()).slice(0, next() % 7);
      const point = next() % (digits.length + 1);
      const text = `${next() % 2 ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}e${(next() % 30) - 15}`;
      const value = parse(text);
      if (Number.isNaN(value)) continue;
      parsed++;
      if (value !== Number(text)) mismatches.push(text);
    }
    expect(mismatches).toEqual([]);
    expect(parsed).toBeGreaterThan(10000);
  });

  it('declines what it cannot parse exactly, so the caller falls back', () => {
    for (const text of ['', '-', '.', 'e5', '1e', '1x', ' 1', '1 ', 'inf', 'NaN', '0x10', '1.2345678901234567', '1e400', '1,5']) expect(parse(text), text).toBeNaN();
  });
});

describe('CsvByteTokenizer', () => {
  const text = 'a,b,c\r\n1,"x,\r\ny ""q""",3\n# comment\n\n"",tail"after",\r4,5,6';
  const expected = [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['1', 'x,\r\ny "q"', '3'] },
    { line: 6, fields: ['', 'tail"after"', ''] },
    { line: 7, fields: ['4', '5', '6'] },
  ];

  it('gives the same records and line numbers whatever the chunk size', () => {
    for (const step of [1, 2, 3, 5, 7, 1000]) expect(records(text, step), `step ${step}`).toEqual(expected);
  });

  it('splits multi-byte UTF-8 across chunks without damage', () => {
    expect(records('é,ü€\n"ß",x\n', 1)).toEqual([
      { line: 1, fields: ['é', 'ü€'] },
      { line: 2, fields: ['ß', 'x'] },
    ]);
  });

  it('reports an unterminated quote with its starting line', () => {
    expect(() => records('a\n"open\nmore', 4)).toThrow(/unterminated quoted field starting on line 2/);
  });
});
