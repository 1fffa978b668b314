// What the estimator benchmarks (trees, linear, svm) share to run scikit-learn on the same data: the
// columns written row-major as float64 files into a temp folder, a Python script run single-threaded on it,
// its one line of JSON read back.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3';
// scikit-learn single-threaded, as our single-threaded figures are.
export const SINGLE_THREAD = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/**
 * Runs `script` as `python3 -c script <dir> ...args` after writing `X.f64` (the columns row-major) and one
 * `<name>.f64` per entry of `arrays` into `<dir>`; returns the JSON it prints. When scikit-learn cannot run
 * and `optional` is set, says so and returns `undefined` (the benchmark then prints ours only).
 */
export function runSklearn(script, { columns, nRows, arrays = {}, args = [], optional = false }) {
  const dir = mkdtempSync(join(tmpdir(), 'pld-sklearn-bench-'));
  try {
    const nFeatures = columns.length;
    const flat = new Float64Array(nRows * nFeatures);
    for (let f = 0; f < nFeatures; f++) for (let i = 0; i < nRows; i++) flat[i * nFeatures + f] = columns[f][i];
    writeFileSync(join(dir, 'X.f64'), flat);
    for (const [name, values] of Object.entries(arrays)) writeFileSync(join(dir, `${name}.f64`), values);
    const env = { ...process.env, ...SINGLE_THREAD };
    return JSON.parse(execFileSync(PYTHON, ['-c', script, dir, ...args.map(String)], { encoding: 'utf8', env, maxBuffer: 1 << 26 }));
  } catch (error) {
    if (!optional) throw error;
    console.log(`scikit-learn unavailable (${error.message.split('\n')[0]}); ours only`);
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
