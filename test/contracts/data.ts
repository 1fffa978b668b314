import { Frame } from '../../src/data/frame.js';

/** A generated data set for the estimator contract suite. */
export interface ContractData {
  readonly X: Frame;
  readonly y: Float64Array;
}

/** Feature names of the generated data sets. */
export const FEATURES = ['x0', 'x1', 'x2', 'x3', 'x4'] as const;

/**
 * Three well-separated classes (codes 0, 1, 2) on 5 non-negative features (MultinomialNB needs
 * counts-like data): class k's centre on feature f is 4 + 4·((k + f) mod 3), plus N(0, 0.7) noise.
 * @example
 * const { X, y } = classificationData(); // 200 rows
 */
export function classificationData(rows = 200, seed = 1): ContractData {
  const normal = _normal(seed);
  const y = new Float64Array(rows);
  const columns = FEATURES.map(() => new Float64Array(rows));
  for (let i = 0; i < rows; i++) {
    const k = i % 3;
    y[i] = k;
    for (let f = 0; f < FEATURES.length; f++) columns[f][i] = Math.max(0, 4 + 4 * ((k + f) % 3) + 0.7 * normal());
  }
  return { X: _frame(columns), y };
}

/**
 * A linear target with a little noise: y = 5 + 3·x0 − 2·x1 + x2 + 0.5·x3 + N(0, 0.1), x ~ N(0, 1).
 * @example
 * const { X, y } = regressionData();
 */
export function regressionData(rows = 200, seed = 2): ContractData {
  const normal = _normal(seed);
  const columns = FEATURES.map(() => new Float64Array(rows));
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < FEATURES.length; f++) columns[f][i] = normal();
    y[i] = 5 + 3 * columns[0][i] - 2 * columns[1][i] + columns[2][i] + 0.5 * columns[3][i] + 0.1 * normal();
  }
  return { X: _frame(columns), y };
}

/**
 * Text columns (with a few missing values) beside a numeric one, for encoders and imputers.
 * @example
 * categoricalData().X.columns; // ['color', 'shape', 'size']
 */
export function categoricalData(rows = 200, seed = 3): ContractData {
  const rand = _mulberry32(seed);
  const colors = ['red', 'green', 'blue'];
  const shapes = ['round', 'square'];
  const color: (string | null)[] = [];
  const shape: (string | null)[] = [];
  const size = new Float64Array(rows);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(rand() * 3);
    color.push(rand() < 0.05 ? null : colors[c]);
    shape.push(shapes[Math.floor(rand() * 2)]);
    size[i] = Math.floor(rand() * 4);
    y[i] = c;
  }
  return { X: new Frame({ color, shape, size }), y };
}

/**
 * A copy of X with NaN at one cell, to check that estimators name the column.
 * @example
 * withNaN(X, 'x2', 3);
 */
export function withNaN(X: Frame, column: string, row: number): Frame {
  const data = new Map(X.entries());
  const copy = Float64Array.from(X.numeric(column));
  copy[row] = Number.NaN;
  data.set(column, copy);
  return new Frame(data);
}

function _frame(columns: Float64Array[]): Frame {
  return new Frame(Object.fromEntries(FEATURES.map((name, f) => [name, columns[f]])));
}

function _normal(seed: number): () => number {
  const rand = _mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function _mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}
