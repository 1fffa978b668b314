import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { PldError } from '../../errors.js';
import { isNumericColumn } from '../frame.js';
import { type LoaderContext, TableLoader } from './table.js';
import { type TableLoaderInput, tableLoaderParams } from './table-params.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures');
const IRIS_NAMES = ['sepal length', 'sepal width', 'petal length', 'petal width', 'species'];
const dir = mkdtempSync(join(tmpdir(), 'pld-table-'));
const ctx: LoaderContext = { baseDir: dir, file: join(dir, 'config.json'), keyPath: 'dataset_loader_train' };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function fixture(content: string | Buffer, name = `data-${++fileCount}.csv`): string {
  writeFileSync(join(dir, name), content);
  return name;
}

function csv(params: TableLoaderInput): TableLoader {
  return new TableLoader(params, ctx, { defaultSep: ',' });
}

async function failure(run: () => unknown): Promise<PldError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(PldError);
    return error as PldError;
  }
  throw new Error('expected a PldError');
}

describe('TableLoader with the iris data', () => {
  const iris = { path: join(FIXTURES, 'iris.data'), names: IRIS_NAMES, target_column: 'species', sep: ',' };

  it("reads Palladium's example options: 100 rows, 4 numeric columns, string labels", async () => {
    const { X, y } = await csv({ ...iris, nrows: 100 }).load();
    expect(X.nRows).toBe(100);
    expect(X.columns).toEqual(IRIS_NAMES.slice(0, 4));
    for (const [, column] of X.entries()) expect(column).toBeInstanceOf(Float64Array);
    expect(X.row(0)).toEqual({ 'sepal length': 5.2, 'sepal width': 3.5, 'petal length': 1.5, 'petal width': 0.2 });
    expect(Array.isArray(y)).toBe(true);
    expect((y as string[]).length).toBe(100);
    expect(new Set(y as string[])).toEqual(new Set(['Iris-setosa', 'Iris-versicolor', 'Iris-virginica']));
  });

  it('skips the first rows with skiprows', async () => {
    const all = await csv(iris).load();
    const { X, y } = await csv({ ...iris, skiprows: 100 }).load();
    expect(X.nRows).toBe(50);
    expect(all.X.nRows).toBe(150);
    expect(X.row(0)).toEqual(all.X.row(100));
    expect((y as string[])[0]).toBe((all.y as string[])[100]);
  });

  it('has no y without a target column', async () => {
    const { X, y } = await csv({ path: iris.path, names: IRIS_NAMES, nrows: 3 }).load();
    expect(y).toBeUndefined();
    expect(X.columns).toEqual(IRIS_NAMES);
    expect(X.column('species')).toEqual(['Iris-setosa', 'Iris-setosa', 'Iris-versicolor']);
  });
});

describe('TableLoader options', () => {
  it('infers the header from the first line, and resolves paths against baseDir', async () => {
    const path = fixture('a,b,label\n1,2.5,x\n3,-4e1,y\n\n\n');
    const { X, y } = await csv({ path, target_column: 'label' }).load();
    expect(X.columns).toEqual(['a', 'b']);
    expect(Array.from(X.numeric('b'))).toEqual([2.5, -40]);
    expect(y).toEqual(['x', 'y']);
  });

  it('reads a numeric target as a Float64Array', async () => {
    const { y } = await csv({ path: fixture('a,t\n1,0\n2,1\n'), target_column: 't' }).load();
    expect(y).toBeInstanceOf(Float64Array);
    expect(Array.from(y as Float64Array)).toEqual([0, 1]);
  });

  it('takes the header from a later row with header=N and replaces it with names', async () => {
    const path = fixture('junk line\na,b\n1,2\n');
    expect((await csv({ path, header: 1 }).load()).X.columns).toEqual(['a', 'b']);
    const renamed = await csv({ path, header: 1, names: ['x', 'y'] }).load();
    expect(renamed.X.columns).toEqual(['x', 'y']);
    expect(renamed.X.nRows).toBe(1);
  });

  it('names columns 0..n-1 with header=null and no names, and renames repeated header names', async () => {
    expect((await csv({ path: fixture('1,2\n3,4\n'), header: null }).load()).X.columns).toEqual(['0', '1']);
    expect((await csv({ path: fixture('a,a,b\n1,2,3\n') }).load()).X.columns).toEqual(['a', 'a.1', 'b']);
  });

  it('skips listed 0-based lines, before and after the header', async () => {
    const { X } = await csv({ path: fixture('# title\na,b\n1,2\n3,4\n5,6\n'), skiprows: [0, 3] }).load();
    expect(Array.from(X.numeric('a'))).toEqual([1, 5]);
  });

  it('keeps usecols by name or by index, in file order, target included', async () => {
    const path = fixture('a,b,c,t\n1,x,3,0\n4,y,6,1\n');
    const byName = await csv({ path, usecols: ['t', 'c', 'a'], target_column: 't' }).load();
    expect(byName.X.columns).toEqual(['a', 'c']);
    expect(Array.from(byName.y as Float64Array)).toEqual([0, 1]);
    const byIndex = await csv({ path, usecols: [1, 0] }).load();
    expect(byIndex.X.columns).toEqual(['a', 'b']);
    expect(byIndex.X.column('b')).toEqual(['x', 'y']);
  });

  it('reads quoted fields with separators, doubled quotes and newlines, and CRLF line ends', async () => {
    const path = fixture('id,text\r\n1,"a, b"\r\n2,"say ""hi"""\r\n3,"two\r\nlines"\r\n');
    const { X } = await csv({ path }).load();
    expect(X.column('text')).toEqual(['a, b', 'say "hi"', 'two\r\nlines']);
    expect(Array.from(X.numeric('id'))).toEqual([1, 2, 3]);
  });

  it('reads a last row without a newline, rows of empty fields, lone CR line ends and text after a closing quote', async () => {
    const { X } = await csv({ path: fixture('a,b,c\r1,"d"e,ab"c\n,,\n4,,6'), dtype: 'str' }).load();
    expect(X.nRows).toBe(3);
    expect(X.column('a')).toEqual(['1', null, '4']);
    // As pandas: text after a closing quote joins the field, a quote inside an unquoted field is literal.
    expect(X.column('b')).toEqual(['de', null, null]);
    expect(X.column('c')).toEqual(['ab"c', null, '6']);
  });

  it('skips blank, whitespace-only and comment-only lines but keeps a quoted empty field and a quoted comment character', async () => {
    const { X } = await csv({ path: fixture('a,b\n1,2\n\n   \n# note\n"",\n"x#y",4 # tail\n'), comment: '#', dtype: 'str' }).load();
    expect(X.column('a')).toEqual(['1', null, 'x#y']);
    expect(X.column('b')).toEqual(['2', null, '4 ']);
  });

  it('reads default and extra na_values as NaN in numeric columns and null in text columns', async () => {
    const path = fixture('n,s\n1,a\nNA,\n,NULL\n-,b\nnan,missing\n');
    const { X } = await csv({ path, na_values: ['-', 'missing'] }).load();
    expect(Array.from(X.numeric('n'))).toEqual([1, Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    expect(X.column('s')).toEqual(['a', null, null, 'b', null]);
    const single = await csv({ path: fixture('n\n1\n?\n'), na_values: '?' }).load();
    expect(Array.from(single.X.numeric('n'))).toEqual([1, Number.NaN]);
  });

  it('applies dtype to one column or to all', async () => {
    const path = fixture('zip,v\n01234,1\n99999,2\n');
    const perColumn = await csv({ path, dtype: { zip: 'str', v: 'float64' } }).load();
    expect(perColumn.X.column('zip')).toEqual(['01234', '99999']);
    expect(perColumn.X.column('v')).toBeInstanceOf(Float64Array);
    const all = await csv({ path, dtype: 'category' }).load();
    expect(all.X.column('v')).toEqual(['1', '2']);
    const ints = await csv({ path, dtype: 'int' }).load();
    expect(Array.from(ints.X.numeric('zip'))).toEqual([1234, 99999]);
  });

  it('reads gzip by extension and by magic bytes', async () => {
    const content = gzipSync('a,b\n1,x\n2,y\n');
    for (const name of ['data.csv.gz', 'compressed.bin']) {
      const { X } = await csv({ path: fixture(content, name) }).load();
      expect(Array.from(X.numeric('a'))).toEqual([1, 2]);
      expect(X.column('b')).toEqual(['x', 'y']);
    }
  });

  it("uses a tab for Table's default separator, and accepts delimiter as an alias of sep", async () => {
    const path = fixture('a\tb\n1\t2,5\n');
    const table = await new TableLoader({ path }, ctx, { defaultSep: '\t' }).load();
    expect(table.X.columns).toEqual(['a', 'b']);
    expect(table.X.column('b')).toEqual(['2,5']);
    const aliased = await csv({ path, delimiter: '\t' }).load();
    expect(aliased.X.columns).toEqual(['a', 'b']);
  });

  it('honours quotechar, comment, latin1 and a UTF-8 byte order mark', async () => {
    const quoted = await csv({ path: fixture("a,b # note\n'1,5',x\n# skipped\n"), quotechar: "'", comment: '#' }).load();
    expect(quoted.X.columns).toEqual(['a', 'b ']);
    expect(quoted.X.column('a')).toEqual(['1,5']);
    const latin = await csv({ path: fixture(Buffer.from('name\ncaf\xe9\n', 'latin1')), encoding: 'latin1' }).load();
    expect(latin.X.column('name')).toEqual(['café']);
    const bom = await csv({ path: fixture('\ufeffa\n1\n') }).load();
    expect(bom.X.columns).toEqual(['a']);
  });

  it('returns zero rows for nrows=0 and for a header-only file', async () => {
    expect((await csv({ path: fixture('a,b\n1,2\n'), nrows: 0 }).load()).X.nRows).toBe(0);
    const noHeader = await csv({ path: fixture('1,2\n3,4\n'), header: null, nrows: 0 }).load();
    expect(noHeader.X.columns).toEqual(['0', '1']);
    expect(noHeader.X.nRows).toBe(0);
    const beforeBadRow = await csv({ path: fixture('a,b\n1,2\n3,4,5\n'), nrows: 1 }).load();
    expect(beforeBadRow.X.nRows).toBe(1);
    const headerOnly = await csv({ path: fixture('a,b\n') }).load();
    expect(headerOnly.X.columns).toEqual(['a', 'b']);
    expect(headerOnly.X.nRows).toBe(0);
  });

  it('accepts ndarray and ignores it', async () => {
    expect((await csv({ path: fixture('a\n1\n'), ndarray: false }).load()).X.nRows).toBe(1);
  });
});

describe('TableLoader errors', () => {
  it('fails at creation for a missing file, naming the file, the key path and the config', async () => {
    const error = await failure(() => csv({ path: 'iris.dat' }));
    expect(error.code).toBe('PLD_ERR_DATA_FILE_NOT_FOUND');
    expect(error.message).toBe(`dataset_loader_train.path: data file '${join(dir, 'iris.dat')}' does not exist (config ${ctx.file})`);
    expect(error.details).toMatchObject({ file: ctx.file, keyPath: 'dataset_loader_train.path' });
  });

  it('treats a directory as not found', async () => {
    expect((await failure(() => csv({ path: '.' }))).code).toBe('PLD_ERR_DATA_FILE_NOT_FOUND');
  });

  it('reports a row with the wrong number of fields with its line and the counts', async () => {
    const path = fixture('a,b\n1,2\n\n3,4,5\n');
    const error = await failure(() => csv({ path }).load());
    expect(error.code).toBe('PLD_ERR_DATA_PARSE');
    expect(error.message).toContain(join(dir, path));
    expect(error.message).toContain('line 4: expected 2 fields, saw 3');
    expect(error.details).toMatchObject({ line: 4, expected: 2, actual: 3, keyPath: 'dataset_loader_train' });
    const short = await failure(() => csv({ path: fixture('a,b\n1\n') }).load());
    expect(short.message).toContain('line 2: expected 2 fields, saw 1');
  });

  it('reports an unterminated quote', async () => {
    const error = await failure(() => csv({ path: fixture('a\n"open\n') }).load());
    expect(error.code).toBe('PLD_ERR_DATA_PARSE');
    expect(error.message).toContain('line 2');
  });

  it('reports a non-numeric value in a float or int column with its line and column', async () => {
    const path = fixture('a,b\n1,2\n"x\ny",3\n4,abc\n');
    const error = await failure(() => csv({ path, dtype: { b: 'float' } }).load());
    expect(error.code).toBe('PLD_ERR_DATA_PARSE');
    expect(error.message).toContain(join(dir, path));
    expect(error.message).toContain('line 5, column \'b\': expected a number (dtype float), got "abc"');
    const ints = await failure(() => csv({ path: fixture('a\n1\n2.5\n'), dtype: 'int' }).load());
    expect(ints.message).toContain("line 3, column 'a': expected an integer");
  });

  it('reports a missing target value with its line and column', async () => {
    const error = await failure(() => csv({ path: fixture('a,t\n1,x\n2,NA\n'), target_column: 't' }).load());
    expect(error.code).toBe('PLD_ERR_DATA_PARSE');
    expect(error.message).toContain("line 3, column 't'");
  });

  it('lists the columns when target_column, usecols or dtype name an unknown column', async () => {
    const path = fixture('a,b\n1,2\n');
    for (const params of [{ target_column: 'species' }, { usecols: ['a', 'c'] }, { usecols: [0, 5] }, { dtype: { nope: 'int' as const } }]) {
      const error = await failure(() => csv({ path, ...params }).load());
      expect(error.code).toBe('PLD_ERR_DATA_COLUMN_NOT_FOUND');
      expect(error.message).toContain('["a","b"]');
      expect(error.message).toContain(join(dir, path));
    }
    const excluded = await failure(() => csv({ path, usecols: [0], target_column: 'b' }).load());
    expect(excluded.code).toBe('PLD_ERR_DATA_COLUMN_NOT_FOUND');
  });

  it('reports invalid UTF-8 and suggests latin1', async () => {
    const error = await failure(() => csv({ path: fixture(Buffer.from('name\ncaf\xe9\n', 'latin1')) }).load());
    expect(error.code).toBe('PLD_ERR_DATA_PARSE');
    expect(error.message).toContain("encoding: 'latin1'");
  });

  it('reports a file without a header row as empty', async () => {
    expect((await failure(() => csv({ path: fixture('\n\n') }).load())).code).toBe('PLD_ERR_DATA_EMPTY');
  });

  it('rejects invalid parameters at creation, naming the key path', async () => {
    const path = fixture('a\n1\n');
    const cases: [Record<string, unknown>, string][] = [
      [{ names: ['a', 'a'] }, 'dataset_loader_train.names'],
      [{ usecols: ['a', 'a'] }, 'dataset_loader_train.usecols'],
      [{ usecols: ['a'], target_column: 'b' }, 'dataset_loader_train.target_column'],
      [{ sep: ';;' }, 'dataset_loader_train.sep'],
      [{ sep: ',', delimiter: ';' }, 'dataset_loader_train.delimiter'],
      [{ nrows: -1 }, 'dataset_loader_train.nrows'],
      [{ dtype: 'complex' }, 'dataset_loader_train.dtype'],
      [{ encoding: 'utf-16' }, 'dataset_loader_train.encoding'],
      [{ converters: {} }, 'converters'],
    ];
    for (const [params, mention] of cases) {
      const error = await failure(() => csv({ path, ...params } as TableLoaderInput));
      expect(error.code, JSON.stringify(params)).toBe('PLD_ERR_CONFIG_INVALID_PARAM');
      expect(error.message).toContain(mention);
      expect(error.message).toContain(ctx.file);
    }
  });

  it('exports a strict schema with pandas defaults', () => {
    expect(tableLoaderParams.safeParse({ path: 'x', unknown: 1 }).success).toBe(false);
    expect(tableLoaderParams.parse({ path: 'x' })).toMatchObject({ header: 'infer', quotechar: '"', encoding: 'utf-8' });
  });
});

describe('TableLoader.describe', () => {
  it('reports the path, separator and rows after a load', async () => {
    const loader = csv({ path: fixture('a\n1\n2\n') });
    await loader.load();
    expect(loader.describe()).toMatchObject({ sep: ',', rows: 2 });
    expect(isNumericColumn((await loader.load()).X.column('a'))).toBe(true);
  });
});
