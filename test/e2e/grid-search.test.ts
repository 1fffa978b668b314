import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, PLD_BIN, pld } from './helpers.js';

// Overrides the example's grid_search (later config files replace top-level keys).
function _override(dir: string, name: string, data: Record<string, unknown>): string {
  writeFileSync(path.join(dir, name), JSON.stringify(data));
  return `config.json,${name}`;
}

describe('pld grid-search on the iris example', () => {
  it('ranks the 3 candidates with the same scores in parallel and serially, and saves parseable results', () => {
    const dir = copyExample();
    const parallel = pld(dir, ['grid-search', '--save-results', 'parallel.json']);
    expect(parallel.status, parallel.stderr).toBe(0);
    const lines = parallel.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^rank\s+mean_test_score\s+std_test_score\s+mean_fit_time\s+params$/);
    const ranks = lines.slice(1, 4).map((line) => Number(line.trim().split(/\s+/)[0]));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(ranks[0]).toBe(1);
    expect(
      lines
        .slice(1, 4)
        .map((line) => line.slice(line.indexOf('{')))
        .sort(),
    ).toEqual(['{"min_samples_leaf":1}', '{"min_samples_leaf":2}', '{"min_samples_leaf":3}']);
    expect(lines[4]).toMatch(/^Best: \{"min_samples_leaf":\d\} \(mean test score 0\.\d+\)$/);
    expect(parallel.stderr).toMatch(/Fitting 5 folds for each of 3 candidates, totalling 15 fits/);
    expect(parallel.stderr).toMatch(/\[CV 1\/5; 1\] END min_samples_leaf=1; score=/);
    if (availableParallelism() > 1) expect(parallel.stderr).toMatch(/Grid search done in [\d.]+ sec\. \([2-9]\d* workers\)/);

    const config = _override(dir, 'serial.json', { grid_search: { param_grid: { min_samples_leaf: [1, 2, 3] }, n_jobs: 1 } });
    const serial = pld(dir, ['grid-search', '--config', config, '--save-results', 'serial.csv']);
    expect(serial.status, serial.stderr).toBe(0);
    expect(serial.stderr).toMatch(/\(1 worker\)/);
    const fromJson = JSON.parse(readFileSync(path.join(dir, 'parallel.json'), 'utf8')) as Record<string, unknown>[];
    const [header, ...rows] = readFileSync(path.join(dir, 'serial.csv'), 'utf8').trim().split('\n');
    const keys = header.split(',');
    expect(rows).toHaveLength(3);
    expect(fromJson).toHaveLength(3);
    for (const key of ['mean_test_score', 'std_test_score', 'rank_test_score', 'split0_test_score', 'split4_test_score']) {
      const column = keys.indexOf(key);
      // The params cell is quoted JSON with commas; the score columns come after it.
      const csvValues = rows.map((row) => Number(row.replace(/"[^"]*"/g, 'P').split(',')[column]));
      expect(csvValues, key).toEqual(fromJson.map((record) => record[key]));
    }
    expect(pld(dir, ['grid-search', '--save-results', 'out.txt']).status).toBe(2);
  });

  it('--persist-best stores and activates the refitted best model with cv_results; reports contain their marks', () => {
    const dir = copyExample();
    const searched = pld(dir, ['grid-search', '--persist-best', '--report', 'search.html']);
    expect(searched.status, searched.stderr).toBe(0);
    expect(searched.stderr).toContain('Wrote model with version 1.');
    const index = JSON.parse(readFileSync(path.join(dir, 'iris-model-metadata.json'), 'utf8'));
    expect(index.properties['active-model']).toBe('1');
    expect(index.models[0].cv_results).toHaveLength(3);
    expect(index.models[0].cv_results[0]).toHaveProperty('mean_test_score');
    const searchHtml = readFileSync(path.join(dir, 'search.html'), 'utf8');
    expect(searchHtml).toMatch(/<svg[^>]*class="chart"/);
    expect(searchHtml).toContain('mean test score vs min_samples_leaf');
    expect(searchHtml.match(/class="point"/g)).toHaveLength(3);
    expect(searchHtml).toContain('class="errorbar"');

    const tested = pld(dir, ['test', '--report', 'test.html']);
    expect(tested.status, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/^Score: accuracy: /);
    const testHtml = readFileSync(path.join(dir, 'test.html'), 'utf8');
    expect(testHtml).toContain('confusion matrix');
    expect(testHtml.match(/class="cell"/g)?.length).toBeGreaterThanOrEqual(4);
    expect(testHtml).toContain('Iris-virginica');
    expect(existsSync(path.join(dir, 'test.html'))).toBe(true);
  });

  it('prints every configured score, follows error_score, and refuses scoring in two places', () => {
    const dir = copyExample();
    expect(pld(dir, ['fit']).status).toBe(0);
    const dict = _override(dir, 'scoring.json', { scoring: { acc: 'accuracy', f1: 'f1_macro' } });
    const tested = pld(dir, ['test', '--config', dict]);
    expect(tested.status, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/^Score: acc: 0\.\d+\n {7}f1: 0\.\d+\n$/);
    const evaluated = pld(dir, ['fit', '--evaluate', '--config', dict]);
    expect(evaluated.stderr).toMatch(/Test score: acc: 0\.\d+, f1: 0\.\d+/);

    const failing = _override(dir, 'failing.json', { grid_search: { param_grid: { min_samples_leaf: [1, -1] }, cv: 3, n_jobs: 2 } });
    const warned = pld(dir, ['grid-search', '--config', failing, '--json']);
    expect(warned.status, warned.stderr).toBe(0);
    expect(warned.stderr).toMatch(/3 fits failed out of a total of 6/);
    const records = JSON.parse(warned.stdout).records;
    expect(records[1].mean_test_score).toBeNull();
    const raising = _override(dir, 'raising.json', { grid_search: { param_grid: { min_samples_leaf: [1, -1] }, cv: 3, error_score: 'raise' } });
    const raised = pld(dir, ['grid-search', '--config', raising]);
    expect(raised.status).toBe(5);
    expect(raised.stderr).toContain('PLD_ERR_EVAL_FIT_FAILED');

    const both = _override(dir, 'both.json', { scoring: 'accuracy', grid_search: { param_grid: { min_samples_leaf: [1] }, scoring: 'f1_macro' } });
    expect(pld(dir, ['grid-search', '--config', both]).stderr).toContain('PLD_ERR_EVAL_BAD_SCORING');
    expect(pld(dir, ['--save-results', 'x.csv'], { bin: 'pld-grid-search' }).status).toBe(0);
  });

  // util-linux `script` gives the command a pseudo-terminal, as a user's shell would.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('draws a progress bar on a terminal instead of one line per fit', () => {
    const dir = copyExample();
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(PLD_BIN)} grid-search`;
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, env: { ...process.env, PALLADIUM_CONFIG: 'config.json', NO_COLOR: '1' }, encoding: 'utf8' });
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/\r\[#{30}\] 15\/15 fits/);
    expect(run.stdout).toMatch(/\r\[#*\.+\] \d+\/15 fits/);
    expect(run.stdout).not.toContain('[CV ');
    expect(run.stdout).toMatch(/Best: \{"min_samples_leaf":\d\}/);
  });

  it('Ctrl-C stops the workers and writes nothing', async () => {
    const dir = copyExample();
    // A data set big enough that the search is still running when the first fit reports.
    const rows = Array.from({ length: 20_000 }, (_, i) => {
      const xs = Array.from({ length: 6 }, (_, f) => ((i * (f + 7) * 7919) % 1000) / 1000);
      return `${xs.join(',')},${xs[0] + xs[1] > 1 ? 'a' : 'b'}`;
    });
    writeFileSync(path.join(dir, 'big.csv'), `${rows.join('\n')}\n`);
    const config = _override(dir, 'big.json', {
      dataset_loader_train: { __factory__: 'Table', path: 'big.csv', names: ['a', 'b', 'c', 'd', 'e', 'f', 'y'], target_column: 'y', sep: ',' },
      grid_search: { param_grid: { max_depth: [4, 8, 12, 16, 20, null] }, n_jobs: 2 },
    });
    const child = spawn(process.execPath, [PLD_BIN, 'grid-search', '--config', config, '--save-results', 'r.csv', '--persist-best'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        const first = !stderr.includes('[CV ');
        stderr += chunk.toString();
        if (first && stderr.includes('[CV ')) child.kill('SIGINT');
      });
      child.on('exit', resolve);
    });
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/PLD_ERR_EVAL_INTERRUPTED: Search interrupted after \d+ of 30 fits; nothing was written/);
    expect(readdirSync(dir).filter((name) => name.startsWith('r.csv') || name.includes('iris-model') || name.startsWith('.'))).toEqual([]);
  });
});
