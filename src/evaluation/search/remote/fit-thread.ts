// Thread entry of `pld worker`: runs one remote fit at a time off the main thread, so the main thread
// keeps renewing the BullMQ job lock however long a fit takes (a blocked lock would look stalled).
import { parentPort, workerData } from 'node:worker_threads';
import { Registry } from '../../../config/registry.js';
import { type Column, Frame, type Labels } from '../../../data/frame.js';
import { builtinEstimators } from '../../../estimators/builtins.js';
import { createEstimatorCodec } from '../../../estimators/codec.js';
import type { Estimator } from '../../../estimators/types.js';
import { builtinScorer, type Scorer } from '../../scorers.js';
import { runTask } from '../run-task.js';
import { decodeRows, type RemoteJobData } from './protocol.js';

const { columns, y } = workerData as { columns: [string, Column][]; y?: Labels };
const X = new Frame(new Map<string, Column>(columns));
const registry = new Registry();
for (const definition of builtinEstimators) registry.register(definition);
const codec = createEstimatorCodec(registry);
// Every fit of a run has the same base estimator; decode it once per run.
let cached: { key: string; base: Estimator } | undefined;

parentPort!.on('message', async (job: RemoteJobData) => {
  try {
    parentPort!.postMessage({ result: await _run(job) });
  } catch (error) {
    parentPort!.postMessage({ failure: error instanceof Error ? error.message : String(error) });
  }
});

async function _run(job: RemoteJobData) {
  const key = JSON.stringify(job.spec);
  if (cached?.key !== key) cached = { key, base: codec.decode({ factory: job.spec.factory, params: job.spec.params }) };
  const scorers: Scorer[] = job.scorers.map(({ name, builtinName }) => ({ ...builtinScorer(builtinName)!, name }));
  const data = { X: job.groups === undefined ? X : X.drop(job.groups), y, folds: [{ train: decodeRows(job.train), test: decodeRows(job.test) }] };
  return runTask(cached.base, data, { ...job.task, fold: 0 }, scorers, job.returnTrainScore);
}
