import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { PldError } from '../../errors.js';
import { type LoaderContext, TableLoader } from './table.js';
import type { TableLoaderInput } from './table-params.js';

// Files larger than the loader's 1 MiB read buffer, so records, quotes and CRLFs straddle chunks.
const dir = mkdtempSync(join(tmpdir(), 'pld-table-stream-'));
const ctx: LoaderContext = { baseDir: dir, file: join(dir, 'config.json'), keyPath: 'dataset_loader_train' };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csv(params: TableLoaderInput): TableLoader {
  return new TableLoader(params, ctx, { defaultSep: ',' });
}

const ROWS = 60_000;

/** The first row where `column` differs from `expected(i)` (-1 if none): cheaper than toEqual on big arrays. */
function firstMismatch(column: unknown, expected: (i: number) => number): number {
  expect(column).toBeInstanceOf(Float64Array);
  const values = column as Float64Array;
  expect(values.length).toBe(ROWS);
  for (let i = 0; i < ROWS; i++) if (!Object.is(values[i], expected(i))) return i;
  return -1;
}
/** Row i: an id, a decimal, a 17-digit float, a quoted note with a comma and a newline, a class. */
function row(i: number): string {
  const long = (i / 7).toPrecision(17);
  return `${i},${(i * 0.25).toFixed(2)},${long},"note ${i},\r\nline ""two""",class_${i % 3}`;
}
const lines = ['id,x,long,note,label', ...Array.from({ length: ROWS }, (_, i) => row(i))];
const text = `${lines.join('\r\n')}\r\n`;
writeFileSync(join(dir, 'big.csv'), text);
writeFileSync(join(dir, 'big.csv.gz'), gzipSync(text));

describe('TableLoader on files larger than its read buffer', () => {
  it('reads every row across chunk boundaries, plain and gzip', async () => {
    expect(text.length).toBeGreaterThan(3 * 2 ** 20);
    for (const path of ['big.csv', 'big.csv.gz']) {
      const { X, y } = await csv({ path, target_column: 'label' }).load();
      expect(X.nRows).toBe(ROWS);
      expect(firstMismatch(X.column('id'), (i) => i)).toBe(-1);
      expect(firstMismatch(X.column('x'), (i) => Number((i * 0.25).toFixed(2)))).toBe(-1);
      expect(firstMismatch(X.column('long'), (i) => Number((i / 7).toPrecision(17)))).toBe(-1);
      const notes = X.column('note') as string[];
      expect(notes[0]).toBe('note 0,\r\nline "two"');
      expect(notes[ROWS - 1]).toBe(`note ${ROWS - 1},\r\nline "two"`);
      expect((y as string[]).findIndex((label, i) => label !== `class_${i % 3}`)).toBe(-1);
    }
  });

  it('reports a malformed row deep in the file with file, line and column', async () => {
    const bad = [...lines];
    bad[50_000] = '50000,oops,1,"n",class_0';
    writeFileSync(join(dir, 'bad.csv'), bad.join('\n'));
    const typed = await csv({ path: 'bad.csv', dtype: { x: 'float' } })
      .load()
      .catch((e: unknown) => e);
    expect(typed).toBeInstanceOf(PldError);
    expect((typed as PldError).code).toBe('PLD_ERR_DATA_PARSE');
    // Each record spans two physical lines (the quoted note holds a newline).
    expect((typed as Error).message).toMatch(/data file '.*bad\.csv' line 100000, column 'x': expected a number \(dtype float\), got "oops"/);
    bad[50_000] = '50000,1,2';
    writeFileSync(join(dir, 'short.csv'), bad.join('\n'));
    const short = await csv({ path: 'short.csv' })
      .load()
      .catch((e: unknown) => e);
    expect((short as Error).message).toMatch(/short\.csv' line 100000: expected 5 fields, saw 3/);
  });

  it('turns a numeric-looking column into text when text shows up late, keeping values as written', async () => {
    const late = ['a,b', ...Array.from({ length: ROWS }, (_, i) => `${i}.50,${i}`), 'n/a,1'];
    writeFileSync(join(dir, 'late.csv'), late.join('\n'));
    const { X } = await csv({ path: 'late.csv' }).load();
    const a = X.column('a') as string[];
    expect(Array.isArray(a)).toBe(true);
    expect(a[0]).toBe('0.50');
    expect(a[ROWS]).toBe('n/a');
    expect(X.column('b')).toBeInstanceOf(Float64Array);
  });

  it('reads numeric na_values, inf and whitespace the slow way', async () => {
    writeFileSync(join(dir, 'na.csv'), 'a,b\n-999,1\n inf ,-999.5\n2,-Infinity\n1e3,\n');
    const { X } = await csv({ path: 'na.csv', na_values: ['-999'] }).load();
    expect(X.column('a')).toEqual(Float64Array.of(Number.NaN, Number.POSITIVE_INFINITY, 2, 1000));
    expect(X.column('b')).toEqual(Float64Array.of(1, -999.5, Number.NEGATIVE_INFINITY, Number.NaN));
  });

  it('stops reading at nrows, so a broken tail of a gzip file is never read', async () => {
    const head = gzipSync(text);
    // Truncated gzip: the first rows decompress, the end is corrupt.
    writeFileSync(join(dir, 'truncated.csv.gz'), head.subarray(0, Math.floor(head.length / 2)));
    const { X } = await csv({ path: 'truncated.csv.gz', nrows: 10 }).load();
    expect(X.column('id')).toEqual(Float64Array.from({ length: 10 }, (_, i) => i));
    const error = await csv({ path: 'truncated.csv.gz' })
      .load()
      .catch((e: unknown) => e);
    expect((error as PldError).code).toBe('PLD_ERR_DATA_PARSE');
    expect((error as Error).message).toMatch(/truncated\.csv\.gz' (is not valid gzip|could not be read|line \d+: unterminated)/);
  });

  it('takes a Latin-1 separator with latin1 and refuses a non-ASCII one for UTF-8', async () => {
    writeFileSync(join(dir, 'latin.csv'), Buffer.from('a§b\n1§é\n', 'latin1'));
    const { X } = await csv({ path: 'latin.csv', sep: '§', encoding: 'latin1' }).load();
    expect(X.column('b')).toEqual(['é']);
    const error = (() => {
      try {
        csv({ path: 'latin.csv', sep: '§' });
      } catch (e) {
        return e;
      }
    })();
    expect((error as PldError).code).toBe('PLD_ERR_CONFIG_INVALID_PARAM');
    expect((error as Error).message).toMatch(/dataset_loader_train\.sep: must be an ASCII character/);
  });
});
