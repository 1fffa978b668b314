// Worker-thread entry of the search pool: builds the estimator from its registry spec once, keeps the
// shared data, and answers one SearchTask message with one TaskResult message.
import { parentPort, workerData } from 'node:worker_threads';
import { Registry } from '../../config/registry.js';
import { type Column, Frame } from '../../data/frame.js';
import { builtinEstimators } from '../../estimators/builtins.js';
import { createEstimatorCodec } from '../../estimators/codec.js';
import { builtinScorer, type Scorer } from '../scorers.js';
import { FoldCache, runTask, type SearchTask } from './run-task.js';
import type { WorkerInit } from './pool.js';

const init = workerData as WorkerInit;
// Only the estimators: loading every built-in (persisters, services...) would slow each worker's start.
const registry = new Registry();
for (const definition of builtinEstimators) registry.register(definition);
const codec = createEstimatorCodec(registry);
const base = codec.decode({ factory: init.spec.factory, params: init.spec.params });
const data = { X: new Frame(new Map<string, Column>(init.columns)), y: init.y, folds: init.folds };
const scorers: Scorer[] = init.scorers.map(({ name, builtinName }) => ({ ...builtinScorer(builtinName)!, name }));

const cache = new FoldCache();

parentPort!.on('message', async (task: SearchTask) => {
  parentPort!.postMessage(await runTask(base, data, task, scorers, init.returnTrainScore, cache));
});
