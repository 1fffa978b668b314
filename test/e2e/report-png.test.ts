import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { copyExample, pld } from './helpers.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// The SVG sizes in a report, in order: each PNG must be exactly twice that (PNG_SCALE).
function _svgSizes(html: string): { width: number; height: number }[] {
  return [...html.matchAll(/<svg[^>]*class="chart" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
}

// Decodes a PNG file and checks what a reader would: the signature, the size, that it is not one flat
// colour, and that the title band (text only) has dark pixels, i.e. the fonts rendered the labels.
function _checkPng(file: string, expected: { width: number; height: number }): void {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE), file).toBe(true);
  const image = PNG.sync.read(bytes);
  expect({ width: image.width, height: image.height }, file).toEqual({ width: expected.width * 2, height: expected.height * 2 });
  let sum = 0;
  let sumSq = 0;
  const n = image.width * image.height;
  for (let i = 0; i < image.data.length; i += 4) {
    const grey = (image.data[i] + image.data[i + 1] + image.data[i + 2]) / 3;
    sum += grey;
    sumSq += grey * grey;
  }
  const variance = sumSq / n - (sum / n) ** 2;
  expect(variance, `${file}: pixel variance`).toBeGreaterThan(100);
  let darkInTitle = 0;
  for (let y = 0; y < 44; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 4;
      if (image.data[i] < 100 && image.data[i + 1] < 100 && image.data[i + 2] < 100) darkInTitle++;
    }
  }
  expect(darkInTitle, `${file}: dark pixels of the title text`).toBeGreaterThan(50);
}

describe('--png writes each report chart as a PNG file', () => {
  it('pld test on a classifier: the confusion matrix', () => {
    const dir = copyExample();
    expect(pld(dir, ['fit']).status).toBe(0);

    const noReport = pld(dir, ['test', '--png']);
    expect(noReport.status).toBe(2);
    expect(noReport.stderr).toContain('PLD_ERR_CLI_USAGE');
    expect(noReport.stderr).toContain('--report');

    const tested = pld(dir, ['test', '--report', 'test.html', '--png', '--json']);
    expect(tested.status, tested.stderr).toBe(0);
    const result = JSON.parse(tested.stdout);
    expect(result.pngs).toEqual(['test-confusion-matrix.png']);
    const testHtml = readFileSync(path.join(dir, 'test.html'), 'utf8');
    const [matrixSize] = _svgSizes(testHtml);
    _checkPng(path.join(dir, 'test-confusion-matrix.png'), matrixSize);
  });

  it('pld grid-search: one chart per searched parameter', () => {
    const dir = copyExample();
    const grid = 'grid.json';
    writeFileSync(path.join(dir, grid), JSON.stringify({ grid_search: { param_grid: { min_samples_leaf: [1, 2, 3], max_depth: [2, null] }, cv: 3, n_jobs: 1 } }));
    const searched = pld(dir, ['grid-search', '--config', `config.json,${grid}`, '--report', 'search.html', '--png', '--json']);
    expect(searched.status, searched.stderr).toBe(0);
    expect(JSON.parse(searched.stdout).pngs).toEqual(['search-max_depth.png', 'search-min_samples_leaf.png']);
    const sizes = _svgSizes(readFileSync(path.join(dir, 'search.html'), 'utf8'));
    expect(sizes).toHaveLength(2);
    _checkPng(path.join(dir, 'search-max_depth.png'), sizes[0]);
    _checkPng(path.join(dir, 'search-min_samples_leaf.png'), sizes[1]);
    expect(pld(dir, ['grid-search', '--png']).status).toBe(2);
  });

  it('pld test on a regressor: predicted-vs-true and residuals', () => {
    const dir = copyExample();
    const rows = Array.from({ length: 120 }, (_, i) => {
      const a = (i * 37) % 50;
      const b = (i * 11) % 7;
      return `${a},${b},${(2 * a + 3 * b + ((i * 13) % 5)).toFixed(1)}`;
    });
    writeFileSync(path.join(dir, 'reg.csv'), `${rows.join('\n')}\n`);
    const loader = (extra: Record<string, number>) => ({ __factory__: 'Table', path: 'reg.csv', names: ['a', 'b', 'y'], target_column: 'y', sep: ',', ...extra });
    writeFileSync(
      path.join(dir, 'reg.json'),
      JSON.stringify({
        dataset_loader_train: loader({ nrows: 90 }),
        dataset_loader_test: loader({ skiprows: 90 }),
        model: { __factory__: 'DecisionTreeRegressor', max_depth: 4 },
        model_persister: { __factory__: 'File', path: 'reg-model-{version}' },
      }),
    );
    const config = 'config.json,reg.json';
    expect(pld(dir, ['fit', '--config', config]).status).toBe(0);
    const tested = pld(dir, ['test', '--config', config, '--report', 'reg.html', '--png']);
    expect(tested.status, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/^Score: r2: /);
    expect(tested.stderr).toContain('Wrote the report reg.html, reg-predicted-vs-true.png, reg-residuals.png');
    const sizes = _svgSizes(readFileSync(path.join(dir, 'reg.html'), 'utf8'));
    _checkPng(path.join(dir, 'reg-predicted-vs-true.png'), sizes[0]);
    _checkPng(path.join(dir, 'reg-residuals.png'), sizes[1]);
    expect(existsSync(path.join(dir, 'reg-confusion-matrix.png'))).toBe(false);
  });
});
