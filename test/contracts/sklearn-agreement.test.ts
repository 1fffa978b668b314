import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/config/builtins.js';
import { configFromObject } from '../../src/config/config.js';
import { type Column, Frame } from '../../src/data/frame.js';
import type { Estimator } from '../../src/estimators/types.js';
import { accuracy, r2 } from '../../src/evaluation/metrics.js';

/**
 * Our 5-fold cross-validated scores against scikit-learn's, on the same rows of the same CSV files
 * (`bench/reference/make-fixtures.py` wrote both the data and the fold indices). Entries whose
 * estimators are not in the registry yet are skipped, naming what is missing.
 */
interface Reference {
  command: string;
  sklearn_version: string;
  folds: Record<string, number[][]>;
  cases: { id: string; dataset: string; metric: 'accuracy' | 'r2'; model: Record<string, unknown>; score: number }[];
}

const TOLERANCE = 0.02;
const reference = JSON.parse(readFileSync(new URL('../fixtures/sklearn-scores.json', import.meta.url), 'utf8')) as Reference;
const registry = createRegistry();

describe(`agreement with scikit-learn ${reference.sklearn_version} (5-fold CV, |ours − sklearn| ≤ ${TOLERANCE})`, () => {
  for (const entry of reference.cases) {
    const missing = _factories(entry.model).filter((name) => registry.get(name) === undefined);
    const title = `${entry.id}: sklearn ${entry.metric} ${entry.score.toFixed(4)}`;
    if (missing.length > 0) {
      it.skip(`${title} — skipped: ${missing.join(', ')} not in the registry`, () => {});
      continue;
    }
    it(title, async () => {
      const { X, y } = _readCsv(entry.dataset);
      const scores: number[] = [];
      for (const test of reference.folds[entry.dataset]) {
        const inTest = new Set(test);
        const train = Array.from({ length: X.nRows }, (_, i) => i).filter((i) => !inTest.has(i));
        const model = await configFromObject({ model: entry.model }, registry).component<Estimator>('model', 'estimator', () => true);
        await model.fit(
          X.take(train),
          Float64Array.from(train, (i) => y[i]),
        );
        const predicted = await model.predict(X.take(test));
        const truth = Float64Array.from(test, (i) => y[i]);
        scores.push(entry.metric === 'accuracy' ? accuracy(truth, predicted) : r2(truth, predicted));
      }
      const ours = scores.reduce((a, b) => a + b, 0) / scores.length;
      // PLD_PRINT_SCORES=1 prints the table for bench/RESULTS.md.
      if (process.env.PLD_PRINT_SCORES) console.info(`${entry.id}\tours ${ours.toFixed(4)}\tsklearn ${entry.score.toFixed(4)}`);
      expect(Math.abs(ours - entry.score), `ours ${ours.toFixed(4)} vs sklearn ${entry.score.toFixed(4)}`).toBeLessThanOrEqual(TOLERANCE);
    });
  }
});

const _cache = new Map<string, { X: Frame; y: Float64Array }>();

function _readCsv(name: string): { X: Frame; y: Float64Array } {
  const cached = _cache.get(name);
  if (cached) return cached;
  const [header, ...rows] = readFileSync(new URL(`../fixtures/${name}.csv`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(','));
  const columns = new Map<string, Column>();
  header.slice(0, -1).forEach((column, j) => {
    const cells = rows.map((row) => row[j]);
    const numeric = cells.every((cell) => cell === 'nan' || !Number.isNaN(Number(cell)));
    columns.set(column, numeric ? Float64Array.from(cells, (cell) => (cell === 'nan' ? Number.NaN : Number(cell))) : cells);
  });
  const data = { X: new Frame(columns), y: Float64Array.from(rows, (row) => Number(row[row.length - 1])) };
  _cache.set(name, data);
  return data;
}

function _factories(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(_factories);
  if (typeof value !== 'object' || value === null) return [];
  const own = (value as Record<string, unknown>).__factory__;
  return [...(typeof own === 'string' ? [own] : []), ...Object.values(value).flatMap(_factories)];
}
