import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../config/builtins.js';
import { configFromObject } from '../config/config.js';
import { silentLogger } from '../logging.js';
import { createContext } from './context.js';
import { fit } from './fit.js';
import { stream, type StreamLineError } from './stream.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/iris/', import.meta.url));
const SETOSA = { 'sepal length': 5.2, 'sepal width': 3.5, 'petal length': 1.5, 'petal width': 0.2 };
const VIRGINICA = { 'sepal length': 6.9, 'sepal width': 3.1, 'petal length': 5.4, 'petal width': 2.1 };

async function fittedContext(extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pld-stream-'));
  cpSync(path.join(EXAMPLE, 'iris.data'), path.join(dir, 'iris.data'));
  const base = JSON.parse(readFileSync(path.join(EXAMPLE, 'config.json'), 'utf8')) as Record<string, unknown>;
  const ctx = createContext(
    configFromObject({ ...base, model_persister: { __factory__: 'File', path: path.join(dir, 'm-{version}') }, ...extra }, createRegistry(), dir),
    silentLogger,
  );
  await fit(ctx, {});
  return ctx;
}

async function run(lines: string[], service?: string, extra?: Record<string, unknown>) {
  const out: string[] = [];
  const errors: [string, StreamLineError][] = [];
  async function* input() {
    yield* lines;
  }
  const result = await stream(await fittedContext(extra), { input: input(), service, onOutput: (line) => out.push(line), onError: (line, error) => errors.push([line, error]) });
  return { out, errors, result };
}

describe('stream', () => {
  it('answers lists with lists and objects with one value, [] for each bad line, and goes on', async () => {
    const { out, errors, result } = await run([
      JSON.stringify([SETOSA, VIRGINICA]),
      '{not json',
      JSON.stringify(SETOSA),
      '   ',
      JSON.stringify([{ 'sepal length': 1 }]),
      '7',
      JSON.stringify([VIRGINICA]),
    ]);
    expect(out).toEqual(['["Iris-setosa","Iris-virginica"]', '[]', '"Iris-setosa"', '[]', '[]', '["Iris-virginica"]']);
    expect(errors.map(([line, error]) => [line, error.code])).toEqual([
      ['{not json', 'PLD_ERR_PREDICT_BAD_INPUT'],
      ['[{"sepal length":1}]', 'PLD_ERR_PREDICT_MISSING_FIELD'],
      ['7', 'PLD_ERR_PREDICT_BAD_INPUT'],
    ]);
    expect(errors[1][1].message).toMatch(/item 0: missing field 'sepal width'/);
    expect(result).toEqual({ version: 1, predicted: 3, failed: 3 });
  });

  it('stops at an exit line, in any case', async () => {
    const { out, result } = await run([JSON.stringify([SETOSA]), '  EXIT ', JSON.stringify([SETOSA])]);
    expect(out).toEqual(['["Iris-setosa"]']);
    expect(result.predicted).toBe(1);
  });

  it('uses another service with --service, e.g. probabilities', async () => {
    const mapping = [
      ['sepal length', 'float'],
      ['sepal width', 'float'],
      ['petal length', 'float'],
      ['petal width', 'float'],
    ];
    const { out } = await run([JSON.stringify([SETOSA])], 'proba_service', { proba_service: { __factory__: 'PredictService', mapping, predict_proba: true } });
    expect(out).toEqual(['[[1,0,0]]']);
  });
});
